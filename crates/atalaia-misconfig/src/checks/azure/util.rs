//! Helpers the Azure checks share.

pub(crate) use crate::checks::Cause;
pub(crate) use crate::terraform::{TfResource, V};

/// The resources of one type.
pub(crate) fn of<'a>(
    res: &'a [&'a TfResource],
    ty: &'a str,
) -> impl Iterator<Item = &'a TfResource> + 'a {
    res.iter().copied().filter(move |r| r.rtype == ty)
}
