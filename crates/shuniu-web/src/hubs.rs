//! The hubs capability's service code, shared by pages and API.
