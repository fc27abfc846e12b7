//! Dockerfile checks (`DS-…`), one file each, and the helpers they share (Trivy's
//! `lib.docker` and `sh.parse_commands` equivalents).

use std::sync::OnceLock;

use regex::Regex;

use crate::checks::{Cause, DockerfileCheck};
use crate::dockerfile::{Dockerfile, Instruction};

mod ds001_latest_tag;
mod ds002_root_user;
mod ds004_port22;
mod ds005_add_instead_of_copy;
mod ds006_copy_from_current_alias;
mod ds007_multiple_entrypoints;
mod ds008_port_out_of_range;
mod ds009_workdir_not_absolute;
mod ds010_run_using_sudo;
mod ds011_copy_many_args_no_slash;
mod ds012_duplicate_alias;
mod ds013_run_cd;
mod ds014_wget_and_curl;
mod ds015_yum_clean_all_missing;
mod ds016_multiple_cmds;
mod ds017_update_alone;
mod ds019_dnf_clean_all_missing;
mod ds020_zypper_clean_missing;
mod ds021_apt_get_missing_yes;
mod ds022_maintainer_deprecated;
mod ds023_multiple_healthchecks;
mod ds025_apk_add_no_cache;
mod ds026_no_healthcheck;
mod ds027_microdnf_clean_all_missing;
mod ds029_apt_get_no_install_recommends;
mod ds030_workdir_system_dir;
mod ds031_leaked_secrets;

/// Every Dockerfile check.
pub(crate) static CHECKS: &[DockerfileCheck] = &[
    DockerfileCheck {
        meta: &ds001_latest_tag::META,
        run: ds001_latest_tag::run,
    },
    DockerfileCheck {
        meta: &ds002_root_user::META,
        run: ds002_root_user::run,
    },
    DockerfileCheck {
        meta: &ds004_port22::META,
        run: ds004_port22::run,
    },
    DockerfileCheck {
        meta: &ds005_add_instead_of_copy::META,
        run: ds005_add_instead_of_copy::run,
    },
    DockerfileCheck {
        meta: &ds006_copy_from_current_alias::META,
        run: ds006_copy_from_current_alias::run,
    },
    DockerfileCheck {
        meta: &ds007_multiple_entrypoints::META,
        run: ds007_multiple_entrypoints::run,
    },
    DockerfileCheck {
        meta: &ds008_port_out_of_range::META,
        run: ds008_port_out_of_range::run,
    },
    DockerfileCheck {
        meta: &ds009_workdir_not_absolute::META,
        run: ds009_workdir_not_absolute::run,
    },
    DockerfileCheck {
        meta: &ds010_run_using_sudo::META,
        run: ds010_run_using_sudo::run,
    },
    DockerfileCheck {
        meta: &ds011_copy_many_args_no_slash::META,
        run: ds011_copy_many_args_no_slash::run,
    },
    DockerfileCheck {
        meta: &ds012_duplicate_alias::META,
        run: ds012_duplicate_alias::run,
    },
    DockerfileCheck {
        meta: &ds013_run_cd::META,
        run: ds013_run_cd::run,
    },
    DockerfileCheck {
        meta: &ds014_wget_and_curl::META,
        run: ds014_wget_and_curl::run,
    },
    DockerfileCheck {
        meta: &ds015_yum_clean_all_missing::META,
        run: ds015_yum_clean_all_missing::run,
    },
    DockerfileCheck {
        meta: &ds016_multiple_cmds::META,
        run: ds016_multiple_cmds::run,
    },
    DockerfileCheck {
        meta: &ds017_update_alone::META,
        run: ds017_update_alone::run,
    },
    DockerfileCheck {
        meta: &ds019_dnf_clean_all_missing::META,
        run: ds019_dnf_clean_all_missing::run,
    },
    DockerfileCheck {
        meta: &ds020_zypper_clean_missing::META,
        run: ds020_zypper_clean_missing::run,
    },
    DockerfileCheck {
        meta: &ds021_apt_get_missing_yes::META,
        run: ds021_apt_get_missing_yes::run,
    },
    DockerfileCheck {
        meta: &ds022_maintainer_deprecated::META,
        run: ds022_maintainer_deprecated::run,
    },
    DockerfileCheck {
        meta: &ds023_multiple_healthchecks::META,
        run: ds023_multiple_healthchecks::run,
    },
    DockerfileCheck {
        meta: &ds025_apk_add_no_cache::META,
        run: ds025_apk_add_no_cache::run,
    },
    DockerfileCheck {
        meta: &ds026_no_healthcheck::META,
        run: ds026_no_healthcheck::run,
    },
    DockerfileCheck {
        meta: &ds027_microdnf_clean_all_missing::META,
        run: ds027_microdnf_clean_all_missing::run,
    },
    DockerfileCheck {
        meta: &ds029_apt_get_no_install_recommends::META,
        run: ds029_apt_get_no_install_recommends::run,
    },
    DockerfileCheck {
        meta: &ds030_workdir_system_dir::META,
        run: ds030_workdir_system_dir::run,
    },
    DockerfileCheck {
        meta: &ds031_leaked_secrets::META,
        run: ds031_leaked_secrets::run,
    },
];

/// A cause on an instruction's lines.
pub(super) fn cause(message: impl Into<String>, ins: &Instruction) -> Cause {
    Cause::new(message, Some((ins.start_line, ins.end_line)))
}

/// Every `RUN` of every stage.
pub(super) fn runs(df: &Dockerfile) -> impl Iterator<Item = &Instruction> {
    df.instructions().filter(|i| i.cmd == "run")
}

/// One failure per stage with more than one `cmd`, on the second one (as Trivy reports it).
pub(super) fn duplicates(
    df: &Dockerfile,
    cmd: &str,
    msg: impl Fn(usize) -> String,
    out: &mut Vec<Cause>,
) {
    for stage in &df.stages {
        let found: Vec<&Instruction> = stage.instructions.iter().filter(|i| i.cmd == cmd).collect();
        if found.len() > 1 {
            out.push(cause(msg(found.len()), found[1]));
        }
    }
}

/// Split a shell command line into simple commands (at `&&`, `||`, `;`, `|`, newlines) and
/// each command into words, with quotes honoured and removed (like Trivy's
/// `sh.parse_commands`).
pub(super) fn parse_commands(s: &str) -> Vec<Vec<String>> {
    let mut cmds: Vec<Vec<String>> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    let flush_word = |cur: &mut String, has: &mut bool, words: &mut Vec<String>| {
        if *has {
            words.push(std::mem::take(cur));
            *has = false;
        }
    };
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == '\\' && q == '"' {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                has = true;
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        cur.push(n);
                        has = true;
                    }
                }
            }
            '&' | '|' | ';' | '\n' => {
                if c == '&' && chars.peek() != Some(&'&') {
                    // A background `&` ends the command too.
                }
                if matches!(c, '&' | '|') && chars.peek() == Some(&c) {
                    chars.next();
                }
                flush_word(&mut cur, &mut has, &mut words);
                if !words.is_empty() {
                    cmds.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => flush_word(&mut cur, &mut has, &mut words),
            c => {
                cur.push(c);
                has = true;
            }
        }
    }
    flush_word(&mut cur, &mut has, &mut words);
    if !words.is_empty() {
        cmds.push(words);
    }
    cmds
}

/// Indexes of the commands where a package manager word comes before a sub-command word
/// (Trivy's `docker.command_indexes`).
pub(super) fn command_indexes(
    cmds: &[Vec<String>],
    subcommands: &[&str],
    managers: &[&str],
) -> Vec<usize> {
    cmds.iter()
        .enumerate()
        .filter(|(_, parts)| {
            parts.iter().enumerate().any(|(i, p)| {
                managers.contains(&p.as_str())
                    && parts[i + 1..]
                        .iter()
                        .any(|q| subcommands.contains(&q.as_str()))
            })
        })
        .map(|(i, _)| i)
        .collect()
}

/// The two regexes of an install-then-clean check: the install commands, and install or
/// clean commands.
pub(super) fn clean_regexes(install: &str, cleans: &[&str]) -> Option<(Regex, Regex)> {
    let alternation = cleans
        .iter()
        .map(|c| format!("({c})"))
        .collect::<Vec<_>>()
        .join("|");
    Some((
        Regex::new(install).ok()?,
        Regex::new(&format!("{install}|{alternation}")).ok()?,
    ))
}

/// `RUN`s whose first value matches the install regex and whose last package-manager
/// command (as the combined regex finds them) is not one of `cleans`.
pub(super) fn install_then_clean(
    df: &Dockerfile,
    regexes: Option<&(Regex, Regex)>,
    cleans: &[&str],
    msg: impl Fn(&str) -> String,
    out: &mut Vec<Cause>,
) {
    let Some((install_re, all_re)) = regexes else {
        return;
    };
    for ins in runs(df) {
        let Some(arg) = ins.value.first() else {
            continue;
        };
        if !install_re.is_match(arg) {
            continue;
        }
        let last = all_re.find_iter(arg).last().map(|m| m.as_str());
        if !last.is_some_and(|l| cleans.contains(&l)) {
            out.push(cause(msg(arg), ins));
        }
    }
}

/// Split at `&&` with the spaces around it.
pub(super) fn split_and(s: &str) -> Vec<&str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\s*&&\s*").expect("valid regex"))
        .split(s)
        .collect()
}

/// Package names (with optional `=version`) as Debian policy allows them.
pub(super) const APT_PKGS: &str = r"([a-z\d][a-z\d+\-.]+(?:=[\w.+\-~:]+)?\s*)*";

/// Whether a command line runs `apt-get … install`.
pub(super) fn is_apt_get_install(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"apt-get (-(-)?[a-zA-Z]+ *)*install(-(-)?[a-zA-Z]+ *)*").expect("valid regex")
    })
    .is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(id: &str, text: &str) -> Vec<Cause> {
        let df = crate::dockerfile::parse(text).unwrap();
        let check = CHECKS.iter().find(|c| c.meta.id == id).unwrap();
        let mut out = Vec::new();
        (check.run)(&df, &mut out);
        out
    }

    #[test]
    fn shell_commands() {
        assert_eq!(
            parse_commands("apt-get update && apt-get install -y 'a b' ; echo x|y"),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "a b"],
                vec!["echo", "x"],
                vec!["y"]
            ]
        );
    }

    #[test]
    fn good_and_bad() {
        let cases: &[(&str, &str, &str)] = &[
            ("DS-0001", "FROM alpine\n", "FROM alpine:3.20\n"),
            (
                "DS-0001",
                "ARG V=latest\nFROM alpine:$V\n",
                "ARG V=3.20\nFROM alpine:$V\n",
            ),
            ("DS-0002", "FROM a:1\nUSER root\n", "FROM a:1\nUSER app\n"),
            (
                "DS-0004",
                "FROM a:1\nEXPOSE 22\n",
                "FROM a:1\nEXPOSE 2222\n",
            ),
            (
                "DS-0005",
                "FROM a:1\nADD x /x\n",
                "FROM a:1\nADD x.tar.gz /x\n",
            ),
            (
                "DS-0006",
                "FROM a:1 AS b\nCOPY --from=b /x /y\n",
                "FROM a:1 AS b\nFROM c:1\nCOPY --from=b /x /y\n",
            ),
            (
                "DS-0007",
                "FROM a:1\nENTRYPOINT a\nENTRYPOINT b\n",
                "FROM a:1\nENTRYPOINT a\n",
            ),
            (
                "DS-0008",
                "FROM a:1\nEXPOSE 70000\n",
                "FROM a:1\nEXPOSE 8080\n",
            ),
            (
                "DS-0009",
                "FROM a:1\nWORKDIR app\n",
                "FROM a:1\nWORKDIR /app\n",
            ),
            (
                "DS-0010",
                "FROM a:1\nRUN sudo make\n",
                "FROM a:1\nRUN make\n",
            ),
            (
                "DS-0011",
                "FROM a:1\nCOPY a b dir\n",
                "FROM a:1\nCOPY a b dir/\n",
            ),
            (
                "DS-0012",
                "FROM a:1 AS x\nFROM b:1 AS x\n",
                "FROM a:1 AS x\nFROM b:1 AS y\n",
            ),
            (
                "DS-0013",
                "FROM a:1\nRUN cd /x && make\n",
                "FROM a:1\nRUN make\n",
            ),
            (
                "DS-0014",
                "FROM a:1\nRUN wget x\nRUN curl y\n",
                "FROM a:1\nRUN curl y\n",
            ),
            (
                "DS-0015",
                "FROM a:1\nRUN yum install x\n",
                "FROM a:1\nRUN yum install x && yum clean all\n",
            ),
            ("DS-0016", "FROM a:1\nCMD a\nCMD b\n", "FROM a:1\nCMD a\n"),
            (
                "DS-0017",
                "FROM a:1\nRUN apt-get update\n",
                "FROM a:1\nRUN apt-get update && apt-get install -y x\n",
            ),
            (
                "DS-0019",
                "FROM a:1\nRUN dnf install x\n",
                "FROM a:1\nRUN dnf install x && dnf clean all\n",
            ),
            (
                "DS-0020",
                "FROM a:1\nRUN zypper install x\n",
                "FROM a:1\nRUN zypper install x && zypper clean\n",
            ),
            (
                "DS-0021",
                "FROM a:1\nRUN apt-get install x\n",
                "FROM a:1\nRUN apt-get install -y x\n",
            ),
            (
                "DS-0022",
                "FROM a:1\nMAINTAINER me\n",
                "FROM a:1\nLABEL maintainer=me\n",
            ),
            (
                "DS-0023",
                "FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK NONE\n",
                "FROM a:1\nHEALTHCHECK NONE\n",
            ),
            (
                "DS-0025",
                "FROM a:1\nRUN apk add x\n",
                "FROM a:1\nRUN apk add --no-cache x\n",
            ),
            ("DS-0026", "FROM a:1\n", "FROM a:1\nHEALTHCHECK CMD true\n"),
            (
                "DS-0027",
                "FROM a:1\nRUN microdnf install x\n",
                "FROM a:1\nRUN microdnf install x && microdnf clean all\n",
            ),
            (
                "DS-0029",
                "FROM a:1\nRUN apt-get install -y x\n",
                "FROM a:1\nRUN apt-get install -y --no-install-recommends x\n",
            ),
            (
                "DS-0030",
                "FROM a:1\nWORKDIR /proc/x\n",
                "FROM a:1\nWORKDIR /srv\n",
            ),
            (
                "DS-0031",
                "FROM a:1\nARG GITHUB_TOKEN\n",
                "FROM a:1\nARG VERSION\n",
            ),
        ];
        for (id, bad, good) in cases {
            assert!(!fails(id, bad).is_empty(), "{id} should fail on {bad:?}");
            assert!(fails(id, good).is_empty(), "{id} should pass on {good:?}");
        }
    }

    /// Cases from Trivy's own tests of DS001 and DS017 (`*_test.rego`), as Dockerfiles.
    #[test]
    fn trivy_test_cases() {
        let msgs = |id: &str, text: &str| -> Vec<String> {
            fails(id, text).into_iter().map(|c| c.message).collect()
        };
        let latest = |img: &str| {
            vec![format!(
                "Specify a tag in the 'FROM' statement for image '{img}'"
            )]
        };
        assert!(msgs("DS-0001", "FROM openjdk:8u292-oracle\n").is_empty());
        assert_eq!(msgs("DS-0001", "FROM openjdk:latest\n"), latest("openjdk"));
        assert!(msgs(
            "DS-0001",
            "FROM alpine:3.5\nARG IMAGE=alpine:3.12\nFROM $IMAGE\n"
        )
        .is_empty());
        assert_eq!(
            msgs(
                "DS-0001",
                "FROM alpine:3.5\nARG IMAGE=all-in-one\nFROM $IMAGE\n"
            ),
            latest("all-in-one")
        );
        assert!(msgs(
            "DS-0001",
            "FROM node:14 as dependencies\nFROM dependencies as build\n"
        )
        .is_empty());
        assert_eq!(
            msgs("DS-0001", "ARG TAG=\"latest\"\nFROM foo:${TAG}\n"),
            latest("foo")
        );
        assert!(msgs("DS-0001", "ARG TAG\nFROM foo:${TAG}\n").is_empty());
        assert_eq!(
            msgs("DS-0001", "ARG REGISTRY\nFROM ${REGISTRY}/ubuntu\n"),
            latest("/ubuntu")
        );
        assert_eq!(
            msgs(
                "DS-0001",
                "ARG REPO=repo\nARG IMAGE=image\nFROM $REPO/$IMAGE:latest\n"
            ),
            latest("repo/image")
        );
        assert_eq!(
            msgs("DS-0001", "ARG TAG\nFROM alpine$TAG\n"),
            latest("alpine")
        );
        assert_eq!(msgs("DS-0001", "FROM alpine$TAG\n"), latest("alpine"));

        let update = |run: &str| fails("DS-0017", &format!("FROM ubuntu:18.04\n{run}\n")).len();
        assert_eq!(update("RUN apt-get update"), 1);
        assert_eq!(update("RUN [\"apt-get\", \"update\"]"), 1);
        assert_eq!(update("RUN apt-get update && adduser mike"), 1);
        assert_eq!(update("RUN apt-get update -y && apt-get upgrade -y && apt-get install -y curl && apk-update"), 0);
        assert_eq!(update("RUN apk --update add easy-rsa"), 0);
        assert_eq!(update("RUN /bin/sh /scripts/someScript.sh update"), 0);
        assert_eq!(update("RUN apt-get update -y ; apt-get install -y curl"), 0);
        assert_eq!(update("RUN test && apt-get update && apt upgrade --yes"), 0);
        assert_eq!(update("RUN sbt update "), 0);
        assert_eq!(update("RUN dnf update -y"), 1);
        assert_eq!(update("RUN zypper up -y  && zypper install -y curl"), 0);
        assert_eq!(
            update("RUN yum update -y && yum -y install java-11-openjdk"),
            0
        );
    }

    #[test]
    fn every_check_has_a_case() {
        assert_eq!(CHECKS.len(), 27);
    }
}
