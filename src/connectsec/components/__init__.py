"""Third-party components: Retire.js data, version ordering, library identification and matching."""
