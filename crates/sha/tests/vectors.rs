//! Known-answer tests (FIPS 180-4 examples, RFC 4231, RFC 2202) and a differential test
//! against the RustCrypto crates over random inputs, lengths and update splits.

use atlassian_sign_sha::{ct_eq, digest, Algorithm, Hasher, Hmac};
use hmac::{KeyInit, Mac};
use proptest::prelude::*;
use sha2::Digest;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

const ALL: [Algorithm; 4] = [
    Algorithm::Sha1,
    Algorithm::Sha256,
    Algorithm::Sha384,
    Algorithm::Sha512,
];

const ABC448: &str = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const ABC896: &str = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

#[test]
fn fips_180_4_examples() {
    let cases: [(Algorithm, &str, &str); 14] = [
        (Algorithm::Sha1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        (Algorithm::Sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (Algorithm::Sha1, ABC448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (Algorithm::Sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Algorithm::Sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (Algorithm::Sha256, ABC448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (Algorithm::Sha384, "", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"),
        (Algorithm::Sha384, "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (Algorithm::Sha384, ABC896, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"),
        (Algorithm::Sha512, "", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        (Algorithm::Sha512, "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        (Algorithm::Sha512, ABC896, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"),
        (Algorithm::Sha256, ABC896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
        (Algorithm::Sha1, ABC896, "a49b2446a02c645bf419f995b67091253a04a259"),
    ];
    for (alg, msg, want) in cases {
        assert_eq!(
            hex(digest(alg, msg.as_bytes()).as_slice()),
            want,
            "{alg:?} {msg:?}"
        );
        assert_eq!(digest(alg, b"").as_slice().len(), alg.output_len());
    }
}

#[test]
fn a_million_a() {
    let wants = [
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
        "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
        "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
    ];
    let chunk = [b'a'; 1000];
    for (alg, want) in ALL.into_iter().zip(wants) {
        let mut h = Hasher::new(alg);
        for _ in 0..1000 {
            h.update(&chunk);
        }
        assert_eq!(
            hex(h.finalize().as_slice()),
            want,
            "{alg:?} in 1000-byte updates"
        );
        assert_eq!(
            hex(digest(alg, &[b'a'; 1_000_000]).as_slice()),
            want,
            "{alg:?} at once"
        );
    }
}

#[test]
fn rfc_4231_hmac_sha2() {
    let k20 = [0x0bu8; 20];
    let kaa20 = [0xaau8; 20];
    let kaa131 = [0xaau8; 131];
    let dd50 = [0xddu8; 50];
    let cd50 = [0xcdu8; 50];
    let k25: Vec<u8> = (1..=25).collect();
    let t6 = b"Test Using Larger Than Block-Size Key - Hash Key First";
    let t7 = b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
    let cases: [(&[u8], &[u8], [&str; 3]); 6] = [
        (&k20, b"Hi There", [
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        ]),
        (b"Jefe", b"what do ya want for nothing?", [
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ]),
        (&kaa20, &dd50, [
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27",
            "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
        ]),
        (&k25, &cd50, [
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb",
            "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
        ]),
        (&kaa131, t6, [
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        ]),
        (&kaa131, t7, [
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e",
            "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
        ]),
    ];
    for (key, data, wants) in cases {
        for (alg, want) in [Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512]
            .into_iter()
            .zip(wants)
        {
            let mut m = Hmac::new(alg, key);
            m.update(data);
            let tag = m.clone().finalize();
            assert_eq!(hex(tag.as_slice()), want, "{alg:?}");
            assert!(m.verify(tag.as_slice()));
        }
    }
}

#[test]
fn rfc_2202_hmac_sha1() {
    let kaa80 = [0xaau8; 80];
    let k25: Vec<u8> = (1..=25).collect();
    let cases: [(&[u8], &[u8], &str); 6] = [
        (
            &[0x0b; 20],
            b"Hi There",
            "b617318655057264e28bc0b6fb378c8ef146be00",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        ),
        (
            &[0xaa; 20],
            &[0xdd; 50],
            "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
        ),
        (
            &k25,
            &[0xcd; 50],
            "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
        ),
        (
            &kaa80,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "aa4ae5e15272d00e95705637ce8a3b55ed402112",
        ),
        (
            &kaa80,
            b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
            "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
        ),
    ];
    for (key, data, want) in cases {
        let mut m = Hmac::new(Algorithm::Sha1, key);
        m.update(data);
        assert_eq!(hex(m.finalize().as_slice()), want);
    }
}

#[test]
fn verify_rejects_other_and_truncated_tags() {
    let mut m = Hmac::new(Algorithm::Sha256, b"key");
    m.update(b"data");
    let tag = m.clone().finalize();
    let mut bad = tag.as_slice().to_vec();
    bad[31] ^= 1;
    assert!(!m.clone().verify(&bad));
    assert!(!m.clone().verify(&tag.as_slice()[..31]));
    assert!(!m.clone().verify(&[]));
    let mut long = tag.as_slice().to_vec();
    long.push(0);
    assert!(!m.clone().verify(&long));
    assert!(m.verify(tag.as_slice()));
    assert!(ct_eq(b"", b""));
    assert!(!ct_eq(b"a", b""));
}

/// What the RustCrypto crates give for `data` (and for HMAC under `key`).
fn reference(alg: Algorithm, key: &[u8], data: &[u8]) -> (Vec<u8>, Vec<u8>) {
    fn mac<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(key).unwrap();
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        Algorithm::Sha1 => (
            sha1::Sha1::digest(data).to_vec(),
            mac::<hmac::Hmac<sha1::Sha1>>(key, data),
        ),
        Algorithm::Sha256 => (
            sha2::Sha256::digest(data).to_vec(),
            mac::<hmac::Hmac<sha2::Sha256>>(key, data),
        ),
        Algorithm::Sha384 => (
            sha2::Sha384::digest(data).to_vec(),
            mac::<hmac::Hmac<sha2::Sha384>>(key, data),
        ),
        Algorithm::Sha512 => (
            sha2::Sha512::digest(data).to_vec(),
            mac::<hmac::Hmac<sha2::Sha512>>(key, data),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn same_as_the_rustcrypto_crates(
        data in proptest::collection::vec(any::<u8>(), 0..1000),
        key in proptest::collection::vec(any::<u8>(), 0..300),
        splits in proptest::collection::vec(any::<proptest::sample::Index>(), 0..4),
    ) {
        // Cut points into the message, in order.
        let mut cuts: Vec<usize> = splits.iter().map(|i| i.index(data.len() + 1)).collect();
        cuts.sort_unstable();
        for alg in ALL {
            let (want_digest, want_mac) = reference(alg, &key, &data);
            let mut h = Hasher::new(alg);
            let mut m = Hmac::new(alg, &key);
            let mut at = 0;
            for &c in cuts.iter().chain([data.len()].iter()) {
                h.update(&data[at..c]);
                m.update(&data[at..c]);
                at = c;
            }
            prop_assert_eq!(h.finalize().as_slice().to_vec(), want_digest.clone());
            prop_assert_eq!(digest(alg, &data).as_slice().to_vec(), want_digest);
            prop_assert!(m.clone().verify(&want_mac));
            prop_assert_eq!(m.finalize().as_slice().to_vec(), want_mac);
        }
    }
}
