//! The LiteSVM tests of the built program (tests/*.rs) and cu-report (src/bin) use the client
//! crate, `isthmus-client` (client/), re-exported here so that they name one crate.

pub use isthmus_client::*;
