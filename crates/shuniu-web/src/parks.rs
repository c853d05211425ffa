//! The service-parks capability's service code, shared by pages and API.
