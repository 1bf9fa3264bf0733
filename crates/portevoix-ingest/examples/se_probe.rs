use portevoix_core::Layer;
use portevoix_ingest::{FormatKind, Mode, ReadOptions, load};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = if args.len() > 2 {
        Mode::Lenient
    } else {
        Mode::Strict
    };
    let t = std::time::Instant::now();
    let ds = load(
        &[(
            std::path::Path::new(&args[1]),
            Some(FormatKind::StackExchange),
        )],
        &ReadOptions {
            mode,
            ..Default::default()
        },
    );
    match ds {
        Err(e) => println!("error: {e}"),
        Ok(ds) => {
            println!("{:?}", t.elapsed());
            println!(
                "nodes {} accounts {} posts {}",
                ds.num_nodes(),
                ds.accounts.len(),
                ds.posts.len()
            );
            for l in Layer::ALL {
                let n = ds.interactions.layer(l).len();
                if n > 0 {
                    println!("{l:?} {n}");
                }
            }
            print!("{}", ds.report);
        }
    }
}
