//! The Cancun corpus shipped with this crate: `fixtures/state-tests-cancun.tar.zst` (the folder
//! `state-tests/` as a zstd-compressed tar; source and licence in `fixtures/README.md`), built
//! into the crate and unpacked on first use, so that a clone runs its state tests with nothing
//! beside it. `$ISTHMUS_STATE_TESTS`, when set, names another corpus folder to use instead.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The environment variable that names a corpus folder to use instead of the bundled one.
pub const CORPUS_ENV: &str = "ISTHMUS_STATE_TESTS";

/// The archive, as committed.
pub static ARCHIVE: &[u8] = include_bytes!("../fixtures/state-tests-cancun.tar.zst");

/// The one folder at the top of the archive.
const TOP: &str = "state-tests";

/// The folder `$ISTHMUS_STATE_TESTS` names (set and not empty), else the bundled corpus unpacked
/// under `cache` (see [`unpack`]).
pub fn corpus(cache: &Path) -> io::Result<PathBuf> {
    match std::env::var_os(CORPUS_ENV).filter(|path| !path.is_empty()) {
        Some(path) => {
            let path = PathBuf::from(path);
            if path.is_dir() {
                Ok(path)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{CORPUS_ENV}={}: not a folder", path.display()),
                ))
            }
        }
        None => unpack(cache),
    }
}

/// Unpacks the bundled corpus into `parent` unless it is there already, and returns its folder:
/// `parent/state-tests-cancun-<16 hex digits of the archive's keccak256>`, so that a changed
/// archive never reuses an old copy.
///
/// Safe when several threads or processes (two test binaries, a test and the runner) do it at
/// once: each unpacks into a staging folder of its own and renames the result into place; a
/// folder of that name exists only once complete, and the first rename wins (the others drop
/// their copy).
pub fn unpack(parent: &Path) -> io::Result<PathBuf> {
    let digest = alloy_primitives::keccak256(ARCHIVE);
    let name = format!(
        "state-tests-cancun-{}",
        alloy_primitives::hex::encode(&digest[..8])
    );
    let dest = parent.join(&name);
    if dest.is_dir() {
        return Ok(dest);
    }
    fs::create_dir_all(parent)?;
    static STAGING: AtomicUsize = AtomicUsize::new(0);
    let staging = parent.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        STAGING.fetch_add(1, Ordering::Relaxed)
    ));
    // Left by a killed run that had the same process id.
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir(&staging)?;
    let unpacked = extract(&staging).and_then(|()| {
        match fs::rename(staging.join(TOP), &dest) {
            Ok(()) => Ok(()),
            // Another thread or process got there first: theirs is as good.
            Err(_) if dest.is_dir() => Ok(()),
            Err(e) => Err(e),
        }
    });
    let _ = fs::remove_dir_all(&staging);
    unpacked.map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("unpacking the bundled corpus into {}: {e}", dest.display()),
        )
    })?;
    Ok(dest)
}

fn extract(into: &Path) -> io::Result<()> {
    let mut archive = tar::Archive::new(zstd::stream::read::Decoder::with_buffer(ARCHIVE)?);
    archive.unpack(into)?;
    if into.join(TOP).is_dir() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the archive has no {TOP}/ folder"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unpacking twice (and from two threads at once) gives one complete folder.
    #[test]
    fn unpacks_once_into_place() {
        let parent =
            std::env::temp_dir().join(format!("evm-statetest-unpack-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&parent);
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let parent = parent.clone();
                std::thread::spawn(move || unpack(&parent).unwrap())
            })
            .collect();
        let dirs: Vec<PathBuf> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert_eq!(dirs[0], dirs[1]);
        assert_eq!(unpack(&parent).unwrap(), dirs[0]);
        // Only the corpus is left: no staging folder.
        let left: Vec<_> = fs::read_dir(&parent).unwrap().collect();
        assert_eq!(left.len(), 1);
        let files = crate::collect_files(&[dirs[0].clone()], &[]).unwrap();
        assert_eq!(files.len(), 1513);
        fs::remove_dir_all(&parent).unwrap();
    }
}
