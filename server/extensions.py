"""Extensions, initialised in one place by the app factory."""
from server.db import Database
from server.errors import TaplineApi

db = Database()
api = TaplineApi()
