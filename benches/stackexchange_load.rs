//! Loading a Stack Exchange site: XML megabytes per second, from the folder
//! to the mapped dataset (`read_site` then `map_site`), and reading alone.
//!
//! The site is the shared cardano site replicated with new ids
//! (`examples/stackexchange_replicate.rs`) to `PORTEVOIX_SE_POSTS` posts
//! (default 100,000; BENCHMARKS.md quotes the 1M-post run of
//! `portevoix inspect`), written once to `$TMPDIR/portevoix-se-<posts>`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portevoix::ingest::stackexchange::{map_site, read_site};
use portevoix::ingest::{DatasetBuilder, Mode};
use portevoix_testdata::shared_dataset;
use std::time::Duration;

#[path = "../examples/stackexchange_replicate.rs"]
#[allow(dead_code)]
mod replicate;

fn site() -> (std::path::PathBuf, u64) {
    let posts: u64 = std::env::var("PORTEVOIX_SE_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("portevoix-se-{posts}"));
    if !dir.join("Posts.xml").exists() {
        replicate::replicate(&shared_dataset("stackexchange/cardano"), posts, &dir)
            .expect("the replicated site is written");
    }
    let bytes = read_site(&dir, Mode::Strict)
        .expect("the replicated site reads")
        .xml_bytes;
    (dir, bytes)
}

fn bench(c: &mut Criterion) {
    let (dir, bytes) = site();
    let mut group = c.benchmark_group("stackexchange_load");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("read_site", |b| {
        b.iter(|| read_site(&dir, Mode::Strict).expect("reads"))
    });
    group.bench_function("read_and_map", |b| {
        b.iter(|| {
            let site = read_site(&dir, Mode::Strict).expect("reads");
            let mut builder = DatasetBuilder::new(Mode::Strict);
            map_site(site, &mut builder).expect("maps");
            builder.finish()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
