//! The comparator-list grammar of schemes whose ecosystems have no range language of their own.
//!
//! `op version` terms separated by `,` or spaces must all hold; `||` separates alternatives.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    /// Whether `version OP bound` holds, given `version.cmp(bound)`.
    pub(crate) fn holds(self, ord: Ordering) -> bool {
        match self {
            Op::Eq => ord == Ordering::Equal,
            Op::Ne => ord != Ordering::Equal,
            Op::Lt => ord == Ordering::Less,
            Op::Le => ord != Ordering::Greater,
            Op::Gt => ord == Ordering::Greater,
            Op::Ge => ord != Ordering::Less,
        }
    }

    /// Splits a leading operator off `s`; `None` when `s` starts with none.
    pub(crate) fn split_prefix(s: &str) -> Option<(Op, &str)> {
        const OPS: [(&str, Op); 9] = [
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<<", Op::Lt),
            (">>", Op::Gt),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        OPS.iter()
            .find_map(|(text, op)| s.strip_prefix(text).map(|rest| (*op, rest)))
    }
}

/// `||`-separated alternatives, each a list of comparators that must all hold.
#[derive(Debug, Clone)]
pub(crate) struct Disjunction<V> {
    alternatives: Vec<Vec<(Op, V)>>,
}

impl<V> Disjunction<V> {
    pub(crate) fn parse(
        scheme: Scheme,
        input: &str,
        parse: impl Fn(&str) -> Result<V, VersionError>,
    ) -> Result<Self, VersionError> {
        let mut alternatives = Vec::new();
        for alternative in input.split("||") {
            let mut terms = Vec::new();
            let mut any = false;
            let mut tokens = alternative.split(|c: char| c == ',' || c.is_whitespace());
            while let Some(token) = tokens.next() {
                if token.is_empty() {
                    continue;
                }
                if token == "*" {
                    any = true;
                    continue;
                }
                let (op, rest) = Op::split_prefix(token).unwrap_or((Op::Eq, token));
                let text = if rest.is_empty() {
                    tokens.by_ref().find(|t| !t.is_empty()).ok_or_else(|| {
                        VersionError::constraint(scheme, input, "an operator has no version")
                    })?
                } else {
                    rest
                };
                if Op::split_prefix(text).is_some() {
                    return Err(VersionError::constraint(
                        scheme,
                        input,
                        "two operators in a row",
                    ));
                }
                terms.push((op, parse(text)?));
            }
            if terms.is_empty() && !any {
                return Err(VersionError::constraint(scheme, input, "empty alternative"));
            }
            alternatives.push(terms);
        }
        Ok(Disjunction { alternatives })
    }

    pub(crate) fn matches(&self, version: &V, cmp: impl Fn(&V, &V) -> Ordering) -> bool {
        self.alternatives.iter().any(|terms| {
            terms
                .iter()
                .all(|(op, bound)| op.holds(cmp(version, bound)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Disjunction<u32>, VersionError> {
        Disjunction::parse(Scheme::Dpkg, s, |t| {
            t.parse()
                .map_err(|_| VersionError::version(Scheme::Dpkg, t, "not a number"))
        })
    }

    #[test]
    fn comparators_and_alternatives() {
        let d = parse(">= 2, < 5 || = 9").unwrap();
        let hits: Vec<u32> = (0..12).filter(|v| d.matches(v, |a, b| a.cmp(b))).collect();
        assert_eq!(hits, [2, 3, 4, 9]);
        let d = parse(">>3 <<5").unwrap();
        assert!(d.matches(&4, |a, b| a.cmp(b)));
        assert!(!d.matches(&5, |a, b| a.cmp(b)));
        assert!(parse("*").unwrap().matches(&7, |a, b| a.cmp(b)));
    }

    #[test]
    fn malformed_constraints_are_errors() {
        for bad in ["", "||", ">=", ">= >= 1", "< x", "1 ||"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
