export interface Position {
  latitude: number;
  longitude: number;
  accuracy_m: number;
}

/** The phone's position, or null when it is refused or unavailable: presensi records a
 * check-in without a position as such, so the person is never stuck at the door. */
export function currentPosition(timeoutMs = 8000): Promise<Position | null> {
  if (typeof navigator === "undefined" || !navigator.geolocation) return Promise.resolve(null);
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          latitude: p.coords.latitude,
          longitude: p.coords.longitude,
          accuracy_m: Math.min(p.coords.accuracy, 10_000),
        }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30_000 },
    );
  });
}
