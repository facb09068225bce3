//! Prints the runtime features active on mainnet-beta (LiteSVM's list, which the Rust tests run
//! with) as a JSON array of base58 ids: the Anchor TypeScript suite (npm `litesvm`, which has no
//! such list) activates exactly these under `ISTHMUS_FEATURES=mainnet`.

fn main() {
    let features = isthmus_svm::Features::Mainnet.feature_set();
    let ids: Vec<String> = features
        .active()
        .keys()
        .map(|id| format!("\"{id}\""))
        .collect();
    println!("[{}]", ids.join(","));
}
