from asn_cli.app import main

main()
