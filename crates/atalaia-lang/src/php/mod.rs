//! PHP: `composer.lock` and Composer's `vendor/composer/installed.json`.

pub(crate) mod composer_lock;
pub(crate) mod installed;
