"""The signed webhook external engines report back through: signatures (signing), the delivery
record and its application (receive), result downloads (remote_files), the async view (view),
and the system checks of its configuration (checks)."""
