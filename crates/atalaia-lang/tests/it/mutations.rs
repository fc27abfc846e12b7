//! Malformed input never panics: every parser is fed deterministic mutations (truncations, byte
//! flips, inserted and deleted bytes) of real inputs; errors are fine, panics are not.

use atalaia_lang::{parse_with_warnings, LangFile};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(5) {
            0 => v.truncate(rng.below(v.len() + 1)),
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            2 => {
                let i = rng.below(v.len() + 1);
                let b = *b"{}[]\"\\:,=\n\t @#-(".get(rng.below(17)).unwrap_or(&0);
                v.insert(i, b);
            }
            3 if !v.is_empty() => {
                let i = rng.below(v.len());
                let n = rng.below(16).min(v.len() - i);
                v.drain(i..i + n);
            }
            _ => {
                let i = rng.below(v.len() + 1);
                v.insert(i, u8::try_from(rng.next() & 0xff).unwrap_or(0));
            }
        }
    }
    v
}

fn hammer(kind: LangFile, path: &str, input: &[u8], rounds: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ input.len() as u64);
    for _ in 0..rounds {
        let m = mutate(&mut rng, input);
        // The result does not matter; returning at all does.
        let _ = parse_with_warnings(kind, path, &m);
    }
}

fn corpus_input(rel: &str) -> Vec<u8> {
    std::fs::read(atalaia_test::corpus_dir().join("inputs").join(rel)).expect("corpus input")
}

#[test]
fn lockfiles_survive_mutations() {
    hammer(
        LangFile::PoetryLock,
        "poetry.lock",
        &corpus_input("python/poetry.lock"),
        300,
    );
    hammer(
        LangFile::PipRequirements,
        "requirements.txt",
        &corpus_input("python/requirements.txt"),
        500,
    );
    hammer(
        LangFile::NpmLock,
        "package-lock.json",
        &corpus_input("node/package-lock.json"),
        300,
    );
    hammer(
        LangFile::YarnLock,
        "yarn.lock",
        &corpus_input("node/yarn.lock"),
        300,
    );
    hammer(
        LangFile::CargoLock,
        "Cargo.lock",
        &corpus_input("rust/Cargo.lock"),
        300,
    );
    hammer(
        LangFile::NodePkg,
        "package.json",
        &corpus_input("node/package.json"),
        500,
    );
}

#[test]
fn small_formats_survive_mutations() {
    let gomod = b"module x\n\ngo 1.21\ntoolchain go1.21.3\nrequire (\n\ta.b/c v1.0.0 // indirect\n)\nreplace a.b/c => d.e/f v1.1.0\n";
    hammer(LangFile::GoMod, "go.mod", gomod, 500);
    let md =
        b"Metadata-Version: 2.1\nName: requests\nVersion: 2.19.1\nLicense: Apache 2.0\n\nbody\n";
    hammer(LangFile::PythonPkg, "x.dist-info/METADATA", md, 500);
    let gem = b"GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0)\n      b (>= 1)\n    b (1.1)\n\nDEPENDENCIES\n  a\n";
    hammer(LangFile::GemfileLock, "Gemfile.lock", gem, 500);
    let composer = br#"{"packages": [{"name": "a/b", "version": "1.0", "require": {"c/d": "^1"}}], "packages-dev": [{"name": "c/d", "version": "1.2"}]}"#;
    hammer(LangFile::ComposerLock, "composer.lock", composer, 500);
    let pipfile =
        br#"{"default": {"a": {"version": "==1.0"}}, "develop": {"b": {"version": "==2"}}}"#;
    hammer(LangFile::PipfileLock, "Pipfile.lock", pipfile, 500);
    let uv = b"version = 1\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\ndependencies = [\n    { name = \"b\" },\n]\n\n[[package]]\nname = \"b\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
    hammer(LangFile::UvLock, "uv.lock", uv, 300);
    hammer(LangFile::PdmLock, "pdm.lock", b"[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"default\"]\ndependencies = [\"b>=1\"]\n", 300);
    let pnpm = b"lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\npackages:\n  a@1.0.0:\n    resolution: {integrity: x}\nsnapshots:\n  a@1.0.0:\n    dependencies:\n      b: 1.0.0\n";
    hammer(LangFile::PnpmLock, "pnpm-lock.yaml", pnpm, 500);
    let deno = br#"{"version": "4", "npm": {"a@1.0.0_b@1.0.0": {"integrity": "x", "dependencies": ["b"]}, "b@1.0.0": {}}}"#;
    hammer(LangFile::DenoLock, "deno.lock", deno, 500);
    hammer(LangFile::Gemspec, "specifications/a.gemspec", b"Gem::Specification.new do |s|\n  s.name = \"a\".freeze\n  s.version = \"1.0\"\n  s.licenses = [\"MIT\".freeze]\nend\n", 500);
    hammer(
        LangFile::ComposerInstalled,
        "vendor/composer/installed.json",
        br#"{"packages": [{"name": "a/b", "version": "1.0", "license": ["MIT"]}]}"#,
        500,
    );
    let nuget = br#"{"version": 1, "dependencies": {"net6.0": {"A": {"type": "Direct", "resolved": "1.0", "dependencies": {"B": "1.0"}}, "B": {"type": "Transitive", "resolved": "1.0"}}}}"#;
    hammer(LangFile::NugetLock, "packages.lock.json", nuget, 500);
    let deps = br#"{"targets": {"t": {"A/1.0": {"dependencies": {"B": "2.0"}}}}, "libraries": {"A/1.0": {"type": "project"}, "B/2.0": {"type": "package"}}}"#;
    hammer(LangFile::DotnetDeps, "a.deps.json", deps, 500);
    hammer(LangFile::PubspecLock, "pubspec.lock", b"packages:\n  a:\n    dependency: transitive\n    source: hosted\n    version: \"1.0.0\"\n", 500);
    hammer(LangFile::SwiftResolved, "Package.resolved", br#"{"pins": [{"location": "https://github.com/a/b.git", "state": {"version": "1.0.0"}}], "version": 2}"#, 500);
    hammer(
        LangFile::PodfileLock,
        "Podfile.lock",
        b"PODS:\n  - A (1.0):\n    - B\n  - B (2.0)\nDEPENDENCIES:\n  - A\n",
        500,
    );
    hammer(
        LangFile::ConanLock,
        "conan.lock",
        br#"{"graph_lock": {"nodes": {"0": {"requires": ["1"]}, "1": {"ref": "zlib/1.2.11"}}}}"#,
        500,
    );
    hammer(LangFile::MixLock, "mix.lock", b"%{\n  \"a\": {:hex, :a, \"1.0.0\", \"h\", [:mix], [{:b, \"~> 1\", [hex: :b]}], \"hexpm\", \"h\"},\n}\n", 500);
    hammer(
        LangFile::RebarLock,
        "rebar.lock",
        b"{\"1.2.0\",\n[{<<\"a\">>,{pkg,<<\"a\">>,<<\"1.0.0\">>},0}]}.\n",
        500,
    );
    hammer(LangFile::JuliaManifest, "Manifest.toml", b"manifest_format = \"2.0\"\n\n[[deps.A]]\ndeps = [\"B\"]\nuuid = \"u1\"\nversion = \"1.0.0\"\n\n[[deps.B]]\nuuid = \"u2\"\nversion = \"2.0.0\"\n", 500);
    hammer(
        LangFile::CondaMeta,
        "conda-meta/a-1.0-0.json",
        br#"{"name": "a", "version": "1.0", "license": "MIT"}"#,
        500,
    );
    let pylock = b"lock-version = \"1.0\"\n\n[[packages]]\nname = \"a\"\nversion = \"1.0\"\ndependencies = [{ name = \"b\" }]\n\n[[packages]]\nname = \"b\"\nversion = \"2.0\"\n";
    hammer(LangFile::Pylock, "pylock.toml", pylock, 300);
    let bun = br#"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "^1",},},}, "packages": {"a": ["a@1.0.0", "", {"dependencies": {"b": "^2"}}, "x"], "a/b": ["b@2.0.0", "", {}, "y"],}}"#;
    hammer(LangFile::BunLock, "bun.lock", bun, 500);
    hammer(
        LangFile::GradleLock,
        "gradle.lockfile",
        b"# x\ncom.google.guava:guava:31.1-jre=compileClasspath\nempty=\n",
        500,
    );
    hammer(LangFile::SbtLock, "build.sbt.lock", br#"{"lockVersion": 1, "dependencies": [{"org": "a", "name": "b", "version": "1", "configurations": ["test"]}]}"#, 500);
    hammer(LangFile::PackagesConfig, "packages.config", b"<packages>\n  <package id=\"A\" version=\"1.0\" developmentDependency=\"true\" />\n</packages>\n", 500);
    hammer(
        LangFile::PacmanDesc,
        "var/lib/pacman/local/a-1-1/desc",
        b"%NAME%\na\n\n%VERSION%\n1:2.0-3\n\n%ARCH%\nx86_64\n",
        500,
    );
    hammer(
        LangFile::CondaEnvironment,
        "environment.yml",
        b"dependencies:\n  - numpy=1.24.0=py311h\n  - pip:\n    - requests==2.0\n",
        500,
    );
    let pom = b"<project>\n  <groupId>g</groupId><artifactId>a</artifactId><version>1</version>\n  <properties><v>2.0</v></properties>\n  <dependencies>\n    <dependency><groupId>x</groupId><artifactId>y</artifactId><version>${v}</version><scope>test</scope></dependency>\n  </dependencies>\n</project>\n";
    hammer(LangFile::Pom, "pom.xml", pom, 500);
    hammer(LangFile::PackagesProps, "Directory.Packages.props", b"<Project>\n  <ItemGroup>\n    <PackageVersion Include=\"A\" Version=\"1.0\" />\n  </ItemGroup>\n</Project>\n", 500);
    hammer(LangFile::TerraformLock, ".terraform.lock.hcl", b"provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.0.0\"\n  hashes = [\n    \"h1:x\",\n  ]\n}\n", 500);
}

#[test]
fn binaries_and_jars_survive_mutations() {
    let files = crate::fixtures::final_files("java-app", |p, _, _| {
        p == "app/app.jar" || p == "app/lib/h2-2.1.214.jar"
    });
    let jar = &files["app/app.jar"].bytes;
    hammer(LangFile::Jar, "app/app.jar", jar, 100);
    // The same zip reader serves .egg files.
    hammer(
        LangFile::PythonEgg,
        "x.egg",
        &files["app/lib/h2-2.1.214.jar"].bytes,
        30,
    );
    let files = crate::fixtures::final_files("rust-app", |p, _, _| p == "app/corpus-rust-app");
    hammer(
        LangFile::Executable,
        "app/corpus-rust-app",
        &files["app/corpus-rust-app"].bytes,
        60,
    );
    let files = crate::fixtures::final_files("distroless-like", |p, _, _| p == "usr/local/bin/fzf");
    hammer(
        LangFile::Executable,
        "usr/local/bin/fzf",
        &files["usr/local/bin/fzf"].bytes,
        30,
    );
}
