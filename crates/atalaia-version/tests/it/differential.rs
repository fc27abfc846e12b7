//! Differential tests against the real implementations: dpkg (`dpkg --compare-versions` and
//! python3-apt, which links libapt's copy of dpkg's algorithm), rpm (python3-rpm), pypa/packaging
//! and npm's `semver`. Each test generates pairs with a seeded generator, has the peer judge all
//! of them in one process, and compares. `.ci/deps/version.sh` installs the peers; without
//! them a test fails under `CI` and is skipped (with a note) elsewhere.

use std::cmp::Ordering;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use atalaia_version::npm::{NpmVersion, Options, Range};
use atalaia_version::pep440::{Pep440Version, SpecifierSet};
use atalaia_version::{compare, Scheme, Version};

/// The prefix `.ci/deps/version.sh` installs npm's `semver` into.
const NPM_PREFIX: &str = "/opt/atalaia-peers/npm";
/// How many pairs each differential test judges.
const PAIRS: usize = 2000;

/// splitmix64: a small seeded generator, so every run judges the same pairs.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chars(&mut self, alphabet: &str, min: usize, max: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        let n = min + self.below((max - min + 1) as u64) as usize;
        (0..n)
            .map(|_| a[self.below(a.len() as u64) as usize])
            .collect()
    }
}

/// Runs `program args`, feeding `input` on stdin; `None` when the program is missing.
fn run(program: &str, args: &[&str], input: &str) -> Option<String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {:?}",
        out.status
    );
    Some(String::from_utf8(out.stdout).expect("peer output is UTF-8"))
}

/// Fails under `CI`, otherwise prints why the test does nothing.
#[allow(clippy::print_stderr)]
fn missing(what: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing; run .ci/deps/version.sh"
    );
    eprintln!("note: skipping, {what} is missing (run .ci/deps/version.sh)");
}

fn ord(s: &str) -> Ordering {
    match s.trim() {
        "-1" => Ordering::Less,
        "0" => Ordering::Equal,
        "1" => Ordering::Greater,
        other => panic!("unexpected peer answer {other:?}"),
    }
}

fn report(name: &str, mismatches: &[String], total: usize) {
    assert!(total >= 1000, "{name}: only {total} pairs judged");
    assert!(
        mismatches.is_empty(),
        "{name}: {} of {total} differ from the peer, first ones:\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------- dpkg

pub(crate) fn dpkg_version(rng: &mut Rng) -> String {
    let mut v = String::new();
    if rng.chance(20) {
        v.push_str(&format!("{}:", rng.below(3)));
    }
    v.push_str(&rng.below(20).to_string());
    let n = rng.below(5);
    for _ in 0..n {
        match rng.below(6) {
            0 => v.push_str(&format!(".{}", rng.below(12))),
            1 => v.push_str(&format!("~{}", rng.pick(&["rc", "beta", "", "~", "a1"]))),
            2 => v.push_str(&format!(
                "+{}",
                rng.pick(&["dfsg", "nmu1", "b", "1", "git20240101"])
            )),
            3 => v.push_str(&rng.chars("abcAZ", 1, 2)),
            4 => v.push_str(&format!("0{}", rng.below(10))),
            _ => v.push_str(&rng.chars("0123456789.+~", 1, 3)),
        }
    }
    if v.contains(':') && rng.chance(5) {
        v.push_str(":1");
    }
    if rng.chance(70) {
        v.push('-');
        v.push_str(&rng.below(10).to_string());
        if rng.chance(40) {
            v.push_str(rng.pick(&["ubuntu1", "+deb12u1", "~bpo1", ".1", "build2", "+b1"]));
        }
    }
    v
}

fn dpkg_pairs(seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    (0..PAIRS)
        .map(|_| {
            let a = dpkg_version(&mut rng);
            let b = if rng.chance(15) {
                a.clone()
            } else {
                dpkg_version(&mut rng)
            };
            (a, b)
        })
        .filter(|(a, b)| compare("dpkg", a, b).is_ok())
        .collect()
}

#[test]
fn dpkg_against_python3_apt() {
    let pairs = dpkg_pairs(0xD9A6);
    let script = "import sys, apt_pkg\napt_pkg.init_system()\nfor line in sys.stdin:\n    a, b = line.rstrip('\\n').split('\\t')\n    r = apt_pkg.version_compare(a, b)\n    print((r > 0) - (r < 0))\n";
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let Some(out) = run("/usr/bin/python3", &["-c", script], &input).filter(|o| !o.is_empty())
    else {
        return missing("python3-apt");
    };
    let mut mismatches = Vec::new();
    for ((a, b), answer) in pairs.iter().zip(out.lines()) {
        let ours = compare("dpkg", a, b).unwrap();
        if ours != ord(answer) {
            mismatches.push(format!("{a} vs {b}: ours {ours:?}, apt {answer}"));
        }
    }
    report("dpkg/apt_pkg", &mismatches, out.lines().count());
}

#[test]
fn dpkg_against_dpkg_compare_versions() {
    if Command::new("dpkg").arg("--version").output().is_err() {
        return missing("dpkg");
    }
    let pairs: Vec<(String, String)> = dpkg_pairs(0xD9A7).into_iter().take(1000).collect();
    let script = "while IFS=$'\\t' read -r a b; do if dpkg --compare-versions \"$a\" lt \"$b\"; then echo -1; elif dpkg --compare-versions \"$a\" eq \"$b\"; then echo 0; else echo 1; fi; done";
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let out = run("bash", &["-c", script], &input).expect("bash runs");
    let mut mismatches = Vec::new();
    for ((a, b), answer) in pairs.iter().zip(out.lines()) {
        let ours = compare("dpkg", a, b).unwrap();
        if ours != ord(answer) {
            mismatches.push(format!("{a} vs {b}: ours {ours:?}, dpkg {answer}"));
        }
    }
    report("dpkg --compare-versions", &mismatches, out.lines().count());
}

// ---------------------------------------------------------------- rpm

pub(crate) fn rpm_part(rng: &mut Rng) -> String {
    let mut v = rng.below(15).to_string();
    for _ in 0..rng.below(5) {
        match rng.below(7) {
            0 => v.push_str(&format!(".{}", rng.below(30))),
            1 => v.push_str(&format!("~{}", rng.pick(&["rc1", "beta", "", "git1"]))),
            2 => v.push_str(&format!("^{}", rng.pick(&["git1", "20240101", "", "post"]))),
            3 => v.push_str(&rng.chars("abcxyzAB", 1, 3)),
            4 => v.push_str(&format!("_{}", rng.below(5))),
            5 => v.push_str(&format!("0{}", rng.below(100))),
            _ => v.push_str(&rng.chars("0123456789.a~^+_", 1, 3)),
        }
    }
    v
}

pub(crate) fn rpm_evr(rng: &mut Rng) -> (Option<String>, String, Option<String>) {
    let epoch = rng.chance(25).then(|| rng.below(3).to_string());
    let version = rpm_part(rng);
    let release = rng.chance(75).then(|| {
        let mut r = rpm_part(rng);
        if rng.chance(50) {
            r.push_str(rng.pick(&[".el9", ".fc40", ".el8_4", ".1", "~bootstrap"]));
        }
        r
    });
    (epoch, version, release)
}

fn evr_string((e, v, r): &(Option<String>, String, Option<String>)) -> String {
    let mut s = String::new();
    if let Some(e) = e {
        s.push_str(e);
        s.push(':');
    }
    s.push_str(v);
    if let Some(r) = r {
        s.push('-');
        s.push_str(r);
    }
    s
}

#[test]
fn rpm_against_python3_rpm() {
    let mut rng = Rng::new(0x4E5A);
    let pairs: Vec<_> = (0..PAIRS)
        .map(|_| {
            let a = rpm_evr(&mut rng);
            let b = if rng.chance(10) {
                a.clone()
            } else {
                rpm_evr(&mut rng)
            };
            (a, b)
        })
        .filter(|(a, b)| !a.1.contains('-') && !b.1.contains('-'))
        .collect();
    let field = |x: &Option<String>| x.clone().unwrap_or_else(|| "\u{1}".to_owned());
    let input: String = pairs
        .iter()
        .map(|(a, b)| {
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                field(&a.0),
                a.1,
                field(&a.2),
                field(&b.0),
                b.1,
                field(&b.2)
            )
        })
        .collect();
    let script = "import sys, rpm\nn = lambda s: None if s == '\\x01' else s\nfor line in sys.stdin:\n    f = [n(x) for x in line.rstrip('\\n').split('\\t')]\n    print(rpm.labelCompare((f[0], f[1], f[2]), (f[3], f[4], f[5])))\n";
    let Some(out) = run("/usr/bin/python3", &["-c", script], &input).filter(|o| !o.is_empty())
    else {
        return missing("python3-rpm");
    };
    let mut mismatches = Vec::new();
    for ((a, b), answer) in pairs.iter().zip(out.lines()) {
        let (sa, sb) = (evr_string(a), evr_string(b));
        let ours = compare("rpm", &sa, &sb).unwrap();
        if ours != ord(answer) {
            mismatches.push(format!("{sa} vs {sb}: ours {ours:?}, rpm {answer}"));
        }
    }
    report("rpm.labelCompare", &mismatches, out.lines().count());
}

// ---------------------------------------------------------------- PEP 440

pub(crate) fn pep440_version(rng: &mut Rng) -> String {
    let mut v = String::new();
    if rng.chance(5) {
        v.push('v');
    }
    if rng.chance(8) {
        v.push_str(&format!("{}!", rng.below(3)));
    }
    let n = 1 + rng.below(4);
    let parts: Vec<String> = (0..n)
        .map(|_| {
            if rng.chance(10) {
                format!("0{}", rng.below(10))
            } else {
                rng.below(12).to_string()
            }
        })
        .collect();
    v.push_str(&parts.join("."));
    let sep = |rng: &mut Rng| rng.pick(&["", "", ".", "-", "_"]).to_owned();
    if rng.chance(35) {
        let s = sep(rng);
        v.push_str(&s);
        v.push_str(rng.pick(&[
            "a", "b", "rc", "c", "alpha", "beta", "pre", "preview", "A", "RC",
        ]));
        if rng.chance(80) {
            let s = sep(rng);
            v.push_str(&s);
            v.push_str(&rng.below(12).to_string());
        }
    }
    if rng.chance(25) {
        if rng.chance(30) {
            v.push_str(&format!("-{}", rng.below(5)));
        } else {
            let s = sep(rng);
            v.push_str(&s);
            v.push_str(rng.pick(&["post", "rev", "r", "POST"]));
            if rng.chance(80) {
                v.push_str(&rng.below(5).to_string());
            }
        }
    }
    if rng.chance(25) {
        let s = sep(rng);
        v.push_str(&s);
        v.push_str(rng.pick(&["dev", "DEV"]));
        if rng.chance(80) {
            v.push_str(&rng.below(5).to_string());
        }
    }
    if rng.chance(15) {
        v.push('+');
        let segs: Vec<String> = (0..1 + rng.below(3))
            .map(|_| {
                if rng.chance(50) {
                    rng.below(20).to_string()
                } else {
                    rng.chars("abcxyz0123", 1, 4)
                }
            })
            .collect();
        v.push_str(&segs.join(rng.pick(&[".", "-", "_"])));
    }
    v
}

fn python() -> Option<&'static str> {
    let ok = |p: &str| {
        Command::new(p)
            .args(["-c", "import packaging.version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ["python3", "/usr/bin/python3"].into_iter().find(|p| ok(p))
}

#[test]
fn pep440_against_packaging() {
    let Some(py) = python() else {
        return missing("pypa/packaging");
    };
    let mut rng = Rng::new(0x9E44);
    let versions: Vec<String> = (0..PAIRS).map(|_| pep440_version(&mut rng)).collect();
    let pairs: Vec<(String, String)> = versions
        .iter()
        .map(|a| {
            let b = if rng.chance(10) {
                a.clone()
            } else {
                pep440_version(&mut rng)
            };
            (a.clone(), b)
        })
        .collect();
    let script = "import sys\nfrom packaging.version import Version, InvalidVersion\ndef p(s):\n    try:\n        return Version(s)\n    except InvalidVersion:\n        return None\nfor line in sys.stdin:\n    a, b = line.rstrip('\\n').split('\\t')\n    x, y = p(a), p(b)\n    if x is None or y is None:\n        print('invalid', 'x' if x is None else str(x), 'x' if y is None else str(y))\n    else:\n        print((x > y) - (x < y), str(x), str(y))\n";
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let out = run(py, &["-c", script], &input).expect("python runs");
    let mut mismatches = Vec::new();
    let mut judged = 0;
    for ((a, b), answer) in pairs.iter().zip(out.lines()) {
        let f: Vec<&str> = answer.split(' ').collect();
        let (pa, pb) = (Pep440Version::parse(a), Pep440Version::parse(b));
        if f[0] == "invalid" {
            if (f[1] == "x") != pa.is_err() || (f[2] == "x") != pb.is_err() {
                mismatches.push(format!("validity of {a:?} / {b:?}: packaging {answer}"));
            }
            continue;
        }
        let (Ok(pa), Ok(pb)) = (pa, pb) else {
            mismatches.push(format!("we reject {a:?} or {b:?}, packaging accepts"));
            continue;
        };
        if pa.as_str() != f[1] || pb.as_str() != f[2] {
            mismatches.push(format!(
                "normal form of {a:?} / {b:?}: ours {pa} / {pb}, packaging {} / {}",
                f[1], f[2]
            ));
        }
        if pa.cmp(&pb) != ord(f[0]) {
            mismatches.push(format!(
                "{a} vs {b}: ours {:?}, packaging {}",
                pa.cmp(&pb),
                f[0]
            ));
        }
        judged += 1;
    }
    report("packaging.version", &mismatches, judged);
}

fn specifier(rng: &mut Rng) -> String {
    let one = |rng: &mut Rng| {
        let op = rng.pick(&["==", "!=", "<=", ">=", "<", ">", "~=", "=="]);
        let mut v = format!("{}.{}", rng.below(4), rng.below(4));
        if rng.chance(50) {
            v.push_str(&format!(".{}", rng.below(4)));
        }
        if matches!(op, "==" | "!=") && rng.chance(40) {
            return format!("{op}{v}.*");
        }
        if rng.chance(20) {
            v.push_str(rng.pick(&["a1", "rc2", ".post1", ".dev0", "b1.post2"]));
        }
        if matches!(op, "==" | "!=") && rng.chance(15) {
            v.push_str("+local.1");
        }
        format!("{op}{v}")
    };
    (0..1 + rng.below(3))
        .map(|_| one(rng))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn pep440_specifiers_against_packaging() {
    let Some(py) = python() else {
        return missing("pypa/packaging");
    };
    let mut rng = Rng::new(0x5BEC);
    let cases: Vec<(String, String)> = (0..PAIRS)
        .map(|_| {
            let mut v = format!("{}.{}", rng.below(4), rng.below(4));
            if rng.chance(50) {
                v.push_str(&format!(".{}", rng.below(4)));
            }
            if rng.chance(30) {
                v.push_str(rng.pick(&[
                    "a1", "rc2", ".post1", ".dev0", "b1.post2", "+local.1", ".post1+x",
                ]));
            }
            (v, specifier(&mut rng))
        })
        .collect();
    let script = "import sys\nfrom packaging.specifiers import SpecifierSet\nfrom packaging.version import Version\nfor line in sys.stdin:\n    v, s = line.rstrip('\\n').split('\\t')\n    print(int(SpecifierSet(s).contains(Version(v), prereleases=True)))\n";
    let input: String = cases.iter().map(|(v, s)| format!("{v}\t{s}\n")).collect();
    let out = run(py, &["-c", script], &input).expect("python runs");
    let mut mismatches = Vec::new();
    let hits = out.lines().filter(|l| *l == "1").count();
    assert!(
        hits >= 200 && out.lines().count() - hits >= 200,
        "one-sided specifier cases: {hits} hits"
    );
    for ((v, s), answer) in cases.iter().zip(out.lines()) {
        let ours = SpecifierSet::parse(s)
            .unwrap()
            .contains(&Pep440Version::parse(v).unwrap());
        if ours != (answer == "1") {
            mismatches.push(format!("{v} in {s:?}: ours {ours}, packaging {answer}"));
        }
    }
    report("packaging.specifiers", &mismatches, out.lines().count());
}

// ---------------------------------------------------------------- npm

pub(crate) fn npm_version(rng: &mut Rng) -> String {
    let mut v = format!("{}.{}.{}", rng.below(4), rng.below(4), rng.below(4));
    if rng.chance(30) {
        let ids: Vec<String> = (0..1 + rng.below(3))
            .map(|_| match rng.below(3) {
                0 => rng.below(12).to_string(),
                1 => rng
                    .pick(&["alpha", "beta", "rc", "pre", "Alpha", "x-y"])
                    .to_owned(),
                _ => format!("{}{}", rng.pick(&["a", "b", "rc"]), rng.below(3)),
            })
            .collect();
        v.push('-');
        v.push_str(&ids.join("."));
    }
    if rng.chance(10) {
        v.push_str("+build.1");
    }
    v
}

fn npm_range(rng: &mut Rng) -> String {
    let partial = |rng: &mut Rng| match rng.below(4) {
        0 => format!("{}", rng.below(4)),
        1 => format!("{}.{}", rng.below(4), rng.below(4)),
        2 => format!(
            "{}.{}.{}",
            rng.below(4),
            rng.below(4),
            rng.pick(&["x", "*", "1", "0"])
        ),
        _ => npm_version(rng),
    };
    let term = |rng: &mut Rng| {
        let p = partial(rng);
        match rng.below(9) {
            0 => format!("^{p}"),
            1 => format!("~{p}"),
            2 => format!(">={p}"),
            3 => format!("<{p}"),
            4 => format!(">{p} <={}", partial(rng)),
            5 => format!("{p} - {}", partial(rng)),
            6 => format!("<={p}"),
            7 => format!("={p}"),
            _ => p,
        }
    };
    let n = 1 + rng.below(2);
    (0..n).map(|_| term(rng)).collect::<Vec<_>>().join(" || ")
}

#[test]
fn npm_against_node_semver() {
    let module = Path::new(NPM_PREFIX).join("node_modules/semver");
    if !module.join("package.json").exists()
        || Command::new("node").arg("--version").output().is_err()
    {
        return missing("npm's semver package");
    }
    let mut rng = Rng::new(0x5E3E);
    let cases: Vec<(String, String, String)> = (0..PAIRS)
        .map(|_| {
            (
                npm_version(&mut rng),
                npm_version(&mut rng),
                npm_range(&mut rng),
            )
        })
        .collect();
    let script = format!(
        "const semver = require({:?});\nconst lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean);\nfor (const line of lines) {{\n  const [a, b, r] = line.split('\\t');\n  let sat;\n  try {{ new semver.Range(r); sat = semver.satisfies(a, r) ? 1 : 0; }} catch (e) {{ sat = 'E'; }}\n  console.log(semver.compare(a, b) + ' ' + sat);\n}}\n",
        module.display().to_string()
    );
    let input: String = cases
        .iter()
        .map(|(a, b, r)| format!("{a}\t{b}\t{r}\n"))
        .collect();
    let out = run("node", &["-e", &script], &input).expect("node runs");
    let mut mismatches = Vec::new();
    let mut outcomes = [0usize; 3];
    for ((a, b, r), answer) in cases.iter().zip(out.lines()) {
        let (c, sat) = answer.split_once(' ').unwrap();
        outcomes[match sat {
            "1" => 0,
            "0" => 1,
            _ => 2,
        }] += 1;
        let ours = compare("npm", a, b).unwrap();
        if ours != ord(c) {
            mismatches.push(format!("{a} vs {b}: ours {ours:?}, node {c}"));
        }
        let ours_sat = Range::parse(r, Options::default())
            .map(|range| range.test(NpmVersion::parse(a).unwrap().semver()));
        let same = match (ours_sat, sat) {
            (Err(_), "E") => true,
            (Ok(x), "1") => x,
            (Ok(x), "0") => !x,
            _ => false,
        };
        if !same {
            let ours = Range::parse(r, Options::default())
                .map(|range| range.test(NpmVersion::parse(a).unwrap().semver()));
            mismatches.push(format!("{a} satisfies {r:?}: ours {ours:?}, node {sat}"));
        }
    }
    report("node semver", &mismatches, out.lines().count());
    assert!(
        outcomes[0] >= 200 && outcomes[1] >= 200,
        "too few decided ranges: {outcomes:?}"
    );
    assert_eq!(
        Version::parse(Scheme::Npm, "1.2.3").unwrap().scheme(),
        Scheme::Npm
    );
}

// ---------------------------------------------------------------- Maven

/// maven-artifact as Debian's `maven` package ships it.
const MAVEN_ARTIFACT: &str = "/usr/share/maven/lib/maven-artifact-3.x.jar";

pub(crate) fn maven_version(rng: &mut Rng) -> String {
    let token = |rng: &mut Rng| match rng.below(4) {
        0 | 1 => rng.below(13).to_string(),
        2 => rng
            .pick(&[
                "alpha",
                "a",
                "beta",
                "b",
                "milestone",
                "m",
                "rc",
                "cr",
                "SNAPSHOT",
                "snapshot",
                "ga",
                "final",
                "Final",
                "release",
                "RELEASE",
                "sp",
                "xyz",
                "abc",
                "M1",
                "RC2",
                "pre",
            ])
            .to_owned(),
        _ => rng
            .pick(&["0", "00", "007", "1234567890123", "99999999999999999999"])
            .to_owned(),
    };
    let mut v = rng.below(12).to_string();
    for _ in 0..rng.below(5) {
        v.push_str(rng.pick(&[".", "-", "", ".", "-"]));
        v.push_str(&token(rng));
    }
    v
}

#[test]
fn maven_against_maven_artifact() {
    if !Path::new(MAVEN_ARTIFACT).exists() || Command::new("java").arg("-version").output().is_err()
    {
        return missing("Maven's maven-artifact and a JDK");
    }
    let dir = std::env::temp_dir().join(format!("atalaia-version-maven-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let source = dir.join("Compare.java");
    std::fs::write(
        &source,
        "import java.io.*;\nimport org.apache.maven.artifact.versioning.ComparableVersion;\npublic class Compare {\n  public static void main(String[] args) throws Exception {\n    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n    StringBuilder out = new StringBuilder();\n    for (String line; (line = in.readLine()) != null;) {\n      String[] f = line.split(\"\\t\");\n      int c = new ComparableVersion(f[0]).compareTo(new ComparableVersion(f[1]));\n      out.append(Integer.signum(c)).append('\\n');\n    }\n    System.out.print(out);\n  }\n}\n",
    )
    .expect("write Java source");
    let mut rng = Rng::new(0x3A7E);
    let pairs: Vec<(String, String)> = (0..PAIRS)
        .map(|_| {
            let a = maven_version(&mut rng);
            let b = if rng.chance(10) {
                a.clone()
            } else {
                maven_version(&mut rng)
            };
            (a, b)
        })
        .collect();
    let input: String = pairs.iter().map(|(a, b)| format!("{a}\t{b}\n")).collect();
    let out = run(
        "java",
        &["-cp", MAVEN_ARTIFACT, source.to_str().expect("UTF-8 path")],
        &input,
    )
    .expect("java runs");
    let _ = std::fs::remove_dir_all(&dir);
    let mut mismatches = Vec::new();
    for ((a, b), answer) in pairs.iter().zip(out.lines()) {
        let ours = compare("maven", a, b).unwrap();
        if ours != ord(answer) {
            mismatches.push(format!("{a} vs {b}: ours {ours:?}, maven {answer}"));
        }
    }
    report("maven ComparableVersion", &mismatches, out.lines().count());
}
