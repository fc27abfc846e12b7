//! Integration tests of the registry client against a real registry (Debian `docker-registry`).

mod bearer;
mod real_registry;
