"""Start the District Leadership Assistant web app: `python app.py [--host 127.0.0.1] [--port 7860]`."""

import sys

from assistant.app.server import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
