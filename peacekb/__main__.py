from peacekb.cli import main

main()
