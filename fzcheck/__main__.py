from fzcheck.cli.main import main

main()
