from foia_tui.cli import main

main()
