#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| atlassian_sign_fuzz::targets::trusted_apps(data));
