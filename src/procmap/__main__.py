from procmap.cli.app import main

main()
