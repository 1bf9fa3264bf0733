//! Renders the HTML report of the example discovery in headless Chromium and
//! checks the screenshot: every pyramid level's fill colour is on screen,
//! in areas that grow from level 5 (top, narrowest) to level 1 (base,
//! widest), and the page is not blank.
//!
//! Chromium is looked up in `PORTEVOIX_CHROMIUM`, then `/usr/bin/chromium`,
//! `/usr/bin/chromium-browser`. Without it the test prints a loud skip
//! message and passes, unless `PORTEVOIX_REQUIRE_CHROMIUM=1`, where it fails.
//! Set `PORTEVOIX_KEEP_SCREENSHOT=<dir>` to keep the page and its screenshot.

use portevoix_report::discover::example::example_discovery;
use portevoix_report::discover::{PYRAMID_COLOURS, ReportFormat, write_discovery};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 2400;

fn chromium() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("PORTEVOIX_CHROMIUM") {
        candidates.push(p.into());
    }
    candidates.push("/usr/bin/chromium".into());
    candidates.push("/usr/bin/chromium-browser".into());
    candidates.into_iter().find(|p| p.is_file())
}

/// Runs Chromium to screenshot `html` into `png`, killing it after 120 s.
fn screenshot(chromium: &Path, html: &Path, png: &Path, profile: &Path) {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            let out = child.wait_with_output().expect("chromium output");
            assert!(
                status.success() && png.is_file(),
                "chromium failed ({status}):\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish its screenshot in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The screenshot as 8-bit RGB pixels, with its width and height.
fn decode(png_path: &Path) -> (Vec<[u8; 3]>, u32, u32) {
    let file = std::io::BufReader::new(std::fs::File::open(png_path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0u8; reader.output_buffer_size().expect("image size")];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Indexed => unreachable!("expanded"),
    };
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| match channels {
            1 | 2 => [p[0], p[0], p[0]],
            _ => [p[0], p[1], p[2]],
        })
        .collect();
    (pixels, info.width, info.height)
}

fn rgb(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}

#[test]
fn pyramid_renders_in_chromium() {
    let Some(chromium) = chromium() else {
        let required = std::env::var("PORTEVOIX_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "PORTEVOIX_REQUIRE_CHROMIUM=1 but no Chromium found (set PORTEVOIX_CHROMIUM or install chromium)"
        );
        eprintln!("\n==================================================================");
        eprintln!("SKIPPED discover_html_chromium: no Chromium at /usr/bin/chromium.");
        eprintln!("Install it (apt-get install chromium) or set PORTEVOIX_CHROMIUM;");
        eprintln!("set PORTEVOIX_REQUIRE_CHROMIUM=1 to make this a failure.");
        eprintln!("==================================================================\n");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let html = dir.path().join("discovery.html");
    let png_path = dir.path().join("discovery.png");
    let d = example_discovery();
    let mut file = std::fs::File::create(&html).unwrap();
    write_discovery(&d, ReportFormat::Html, None, &mut file).unwrap();
    drop(file);

    screenshot(&chromium, &html, &png_path, profile.path());
    if let Some(keep) = std::env::var_os("PORTEVOIX_KEEP_SCREENSHOT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&html, keep.join("discovery.html")).unwrap();
        std::fs::copy(&png_path, keep.join("discovery.png")).unwrap();
    }

    let (pixels, width, height) = decode(&png_path);
    assert_eq!((width, height), (WIDTH, HEIGHT), "screenshot size");

    // Not blank: plenty of non-white pixels and many distinct colours.
    let non_white = pixels.iter().filter(|p| p.iter().any(|&c| c < 240)).count();
    assert!(
        non_white > 50_000,
        "page looks blank: {non_white} non-white pixels"
    );
    let mut distinct: Vec<[u8; 3]> = pixels.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert!(
        distinct.len() > 50,
        "only {} distinct colours",
        distinct.len()
    );

    // Each level's colour: its pixel count and bounding box.
    let w = width as usize;
    let stats: Vec<(usize, (usize, usize, usize, usize))> = PYRAMID_COLOURS
        .iter()
        .map(|hex| {
            let c = rgb(hex);
            let mut n = 0;
            let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
            for (i, p) in pixels.iter().enumerate() {
                if near(*p, c) {
                    n += 1;
                    let (x, y) = (i % w, i / w);
                    x0 = x0.min(x);
                    y0 = y0.min(y);
                    x1 = x1.max(x);
                    y1 = y1.max(y);
                }
            }
            (n, (x0, y0, x1, y1))
        })
        .collect();
    for (k, (n, bbox)) in stats.iter().enumerate() {
        eprintln!(
            "level {}: {n} pixels of {}, box {bbox:?}",
            k + 1,
            PYRAMID_COLOURS[k]
        );
    }
    for (k, (n, _)) in stats.iter().enumerate() {
        assert!(*n > 3_000, "level {} colour covers only {n} pixels", k + 1);
    }
    // Wider bands lower down: areas grow from level 5 to level 1, level 1
    // at least three times level 5, and each band sits below the next level
    // up, all centred on the same axis.
    for k in 0..4 {
        assert!(
            stats[k].0 > stats[k + 1].0,
            "level {} ({}) should cover more than level {} ({})",
            k + 1,
            stats[k].0,
            k + 2,
            stats[k + 1].0
        );
        let (_, (_, top_lower, _, _)) = stats[k];
        let (_, (_, _, _, bottom_upper)) = stats[k + 1];
        assert!(
            top_lower > bottom_upper,
            "level {} must be below level {}",
            k + 1,
            k + 2
        );
    }
    assert!(
        stats[0].0 > 3 * stats[4].0,
        "level 1 should be much wider than level 5"
    );
    let centre = |b: (usize, usize, usize, usize)| (b.0 + b.2) as f64 / 2.0;
    assert!(
        (centre(stats[0].1) - centre(stats[4].1)).abs() < 4.0,
        "bands not centred"
    );
    // The pyramid is near the top of the page, inside the window.
    assert!(stats[0].1.3 < 900, "pyramid too low: {:?}", stats[0].1);
}
