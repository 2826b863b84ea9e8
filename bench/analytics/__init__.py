"""The analytics consumer's catch-up rate beside Kafka's ConsumerPerformance."""
