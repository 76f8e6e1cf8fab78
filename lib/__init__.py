"""Small helpers shared by every app. Imports nothing from the apps, the realtime layer or the
project package."""
