//! The evm-bench workloads (`tests/common/workloads.rs`) run to the same outcome on isthmus-evm
//! and revm: the same output, gas, logs and post-state. The benchmark only times them; this is
//! what says that both sides did the same work (and that the contracts work at all).

mod common;

use common::world::{describe_outcome, differences, run_isthmus, run_revm, Class};

#[test]
fn bench_workloads_match_revm() {
    for (name, case) in common::workloads::all() {
        let (ours, _, _) = run_isthmus(&case);
        let theirs = run_revm(&case);
        assert!(
            matches!(ours.class, Class::Success),
            "{name}: {}",
            describe_outcome(&ours)
        );
        let diffs = differences(&ours, &theirs);
        assert!(diffs.is_empty(), "{name}: {diffs:?}");
    }
}

/// The SnailTracer-style contract renders a picture, not a blank: red and blue side walls, grey
/// ones, a mirror and a light give many different pixels, so a broken intersection or bounce
/// (everything missed, everything black) fails here.
#[test]
fn snailtracer_renders_a_scene() {
    let (w, h) = (6, 6);
    let (ours, _, _) = run_isthmus(&common::workloads::snailtracer_image(w, h, 1));
    assert!(
        matches!(ours.class, Class::Success),
        "{}",
        describe_outcome(&ours)
    );
    // ABI: offset, length, then one word per pixel.
    let words: Vec<&[u8]> = ours.output.chunks(32).collect();
    assert_eq!(words.len() as u64, 2 + w * h, "{}", describe_outcome(&ours));
    let pixels: Vec<u32> = words[2..]
        .iter()
        .map(|word| u32::from_be_bytes(word[28..].try_into().unwrap()))
        .collect();
    let distinct: std::collections::BTreeSet<u32> = pixels.iter().copied().collect();
    assert!(distinct.len() >= (w * h / 4) as usize, "{pixels:06x?}");
    let reddish = pixels
        .iter()
        .filter(|p| (*p >> 16) & 0xff > (*p & 0xff) + 16)
        .count();
    let bluish = pixels
        .iter()
        .filter(|p| *p & 0xff > ((*p >> 16) & 0xff) + 16)
        .count();
    assert!(reddish > 0 && bluish > 0, "{pixels:06x?}");
    println!("gas {}: {pixels:06x?}", ours.gas_used);
}
