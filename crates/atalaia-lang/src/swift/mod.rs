//! Swift and Objective-C: SwiftPM `Package.resolved` and CocoaPods `Podfile.lock`.

pub(crate) mod package_resolved;
pub(crate) mod podfile_lock;
