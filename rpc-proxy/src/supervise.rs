//! Keeping a background thread alive: the block producer must not stop for good because one
//! transaction hit a bug (a panic would otherwise end the thread, and blocks with it).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

/// Runs `body` until it returns (the work is over), running it again after each panic, which is
/// logged with `name`, after `pause`. Returns how many times it panicked.
pub fn supervise(name: &str, pause: Duration, mut body: impl FnMut()) -> u32 {
    let mut panics = 0;
    loop {
        match catch_unwind(AssertUnwindSafe(&mut body)) {
            Ok(()) => return panics,
            Err(payload) => {
                panics += 1;
                let why = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".into());
                tracing::error!(thread = name, panics, %why, "panicked: restarting it");
                std::thread::sleep(pause);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_body_runs_again_until_it_returns() {
        let mut runs = 0;
        let panics = supervise("test", Duration::ZERO, || {
            runs += 1;
            if runs < 3 {
                panic!("run {runs}");
            }
        });
        assert_eq!((runs, panics), (3, 2));
    }
}
