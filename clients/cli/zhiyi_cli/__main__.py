from zhiyi_cli.main import main

raise SystemExit(main())
