"""Tools for local development: the reference external engine (`external_service`) and its
`manage.py run_external_worker` command."""
