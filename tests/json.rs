//! `atlassian_sign::json` against serde_json (with `preserve_order`), the library it replaced:
//! the same texts accepted and refused with the same messages, the same numbers, and byte for
//! byte the same output.

use atlassian_sign::json;
use proptest::prelude::*;

/// serde_json's verdict on `text`: its compact re-serialisation, or its error message.
fn serde_verdict(text: &str) -> Result<String, String> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| serde_json::to_string(&v).unwrap())
        .map_err(|e| e.to_string())
}

fn our_verdict(text: &str) -> Result<String, String> {
    json::from_str(text)
        .map(|v| json::to_string(&v))
        .map_err(|e| e.to_string())
}

/// The JWT part parser before: an object whose members are unique, from bytes.
struct UniqueObject;

impl<'de> serde::Deserialize<'de> for UniqueObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = UniqueObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<UniqueObject, A::Error> {
                let mut m = serde_json::Map::new();
                while let Some((k, v)) = a.next_entry::<String, serde_json::Value>()? {
                    if m.contains_key(&k) {
                        return Err(serde::de::Error::custom(format!(
                            "member {k:?} appears twice"
                        )));
                    }
                    m.insert(k, v);
                }
                Ok(UniqueObject)
            }
        }
        d.deserialize_map(Visitor)
    }
}

fn check_object(bytes: &[u8]) {
    let theirs = serde_json::from_slice::<UniqueObject>(bytes).map_err(|e| e.to_string());
    let ours = json::object_from_slice(bytes).map_err(|e| e.to_string());
    assert_eq!(
        ours.map(|_| ()),
        theirs.map(|_| ()),
        "object {:?}",
        String::from_utf8_lossy(bytes)
    );
}

fn check(text: &str) {
    assert_eq!(our_verdict(text), serde_verdict(text), "text {text:?}");
    check_object(text.as_bytes());
}

/// Texts at the edges of the grammar, numbers and strings.
const CORPUS: &[&str] = &[
    "",
    " ",
    "null",
    "true",
    "false",
    "nul",
    "nulx",
    "tru",
    "fals",
    "truex",
    "n",
    "t",
    "f",
    "0",
    "-0",
    "-",
    "--1",
    "+1",
    "01",
    "-01",
    "00",
    "0.",
    "0.0",
    ".5",
    "1.",
    "1.e5",
    "1e",
    "1e+",
    "1e-",
    "1E5",
    "1e5",
    "1e+5",
    "1e-5",
    "-1e-5",
    "0e0",
    "0e999999999999",
    "1e999999999999",
    "1e-999999999999",
    "1e308",
    "1e309",
    "1.7976931348623157e308",
    "1.7976931348623159e308",
    "2.2250738585072014e-308",
    "5e-324",
    "4.9e-324",
    "2e-324",
    "1e-400",
    "-1e-400",
    "123456789012345678901234567890",
    "-123456789012345678901234567890",
    "18446744073709551615",
    "18446744073709551616",
    "18446744073709551615.5",
    "1844674407370955161.0",
    "18446744073709551616e-3",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "0.1",
    "0.3",
    "1.5",
    "100",
    "1e15",
    "1e16",
    "1e17",
    "1e21",
    "1e22",
    "1e23",
    "0.00001",
    "0.000001",
    "0.0000001",
    "123.456e-7",
    "9007199254740993",
    "1.00000000000000011102230246251565404236316680908203125",
    "3.141592653589793238462643383279502884197169399375105820974944592307816406286",
    "0.000000000000000000000000000000000000000000000000000000000000000000000000000001",
    "1.0e+2",
    "-0.0",
    "-0e5",
    "2.5E-3",
    "1x",
    "1 2",
    "[1 2]",
    "{}",
    "[]",
    "[ ]",
    "{ }",
    "[1,]",
    "[,1]",
    "[1,,2]",
    "[1",
    "[1,",
    "[",
    "]",
    "{",
    "}",
    "{\"a\"}",
    "{\"a\":}",
    "{\"a\":1,}",
    "{\"a\":1",
    "{\"a\" 1}",
    "{a:1}",
    "{1:1}",
    "{,}",
    "{\"a\":1 \"b\":2}",
    "{\"a\":1,\"a\":2}",
    "{\"a\":1,\"b\":2,\"a\":3}",
    "{\"a\":{\"b\":1,\"b\":2}}",
    "{\"a\":1}x",
    "{\"a\":1} ",
    " \n\t\r{\"a\":1}\n",
    "{\"a\":1}\u{a0}",
    "[1]]",
    "[1],",
    "\"",
    "\"abc",
    "\"abc\"",
    "\"a\\\"b\"",
    "\"\\\\\"",
    "\"\\/\"",
    "\"\\b\\f\\n\\r\\t\"",
    "\"\\x\"",
    "\"\\u\"",
    "\"\\u12\"",
    "\"\\u12345\"",
    "\"\\u00e9\"",
    "\"\\u00E9\"",
    "\"\\uD83D\\uDE00\"",
    "\"\\ud83d\\ude00\"",
    "\"\\uD83D\"",
    "\"\\uD83Dx\"",
    "\"\\uD83D\\n\"",
    "\"\\uD83D\\u0041\"",
    "\"\\uDE00\"",
    "\"\\uDE00\\uD83D\"",
    "\"\\uD83D\\uD83D\"",
    "\"\\uD83D\\",
    "\"\\uD83D\\u",
    "\"\\uD83D\\uDE\"",
    "\"\\uzzzz\"",
    "\"\\u0000\"",
    "\"\\u001f\"",
    "\"a\u{1}b\"",
    "\"a\nb\"",
    "\"a\tb\"",
    "\"\u{7f}\"",
    "\"é ✓ 😀\"",
    "\"\u{2028}\u{2029}\"",
    "[\"a\",{\"b\":[null,true,false,0,-1,1.5]}]",
    "[[[[[]]]]]",
    "{\"\":\"\"}",
    "{\"a\":[],\"b\":{}}",
    "\u{feff}{}",
    "[1,2,3]\n\n  x",
    "{\n\"a\":1,\n\"b\":\n}",
    "[\n\n\n1,\n2\n,]",
    "{\"a\":1,\"a\":2}\n{",
    "\"x at line 1 column 2\"",
    "{\"exp\":1e400}",
    "{\"a\":\"\\ud800\"}",
    "[1e5, -0, 0.5]",
];

#[test]
fn corpus_parses_as_serde_json_does() {
    for text in CORPUS {
        check(text);
    }
}

#[test]
fn jwt_parts_are_refused_as_before() {
    // Invalid UTF-8 in and outside strings, and every kind of non-object.
    let cases: &[&[u8]] = &[
        b"{\"a\":\"\xff\"}",
        b"{\"a\":\"ok\xc3\"}",
        b"{\"\xe2\x82\":1}",
        b"{\"a\":\"\\n\xff\"}",
        b"\xff",
        b"{\"a\":1}\xff",
        b"\"\xff\"",
        b"\"x\"",
        b"\"a\\nb \\\"q\\\"\"",
        b"\"\\u0007\"",
        b"[1]",
        b"  [1]",
        b"1",
        b"-1",
        b"-0",
        b"1.5",
        b"1e400",
        b"18446744073709551616",
        b"null",
        b"true",
        b"false",
        b"nul",
        b"\n\n  tru",
        b"x",
        b"",
        b"{\"a\":1,\"a\":2}",
        b"{\"a\":1,\"a\":2}   ",
        b"{\"a\":1,\"a\":2 }",
        b"{\"a\":1,\"a\":2,\"b\":3}",
        b"{\"a\":1,\"a\":2,}",
        b"{\"a\":1,\"a\":2",
        b"{\n\"a\":1,\n\"a\":[1,2]\n}",
        b"{\"a\":{\"b\":1,\"b\":2}}",
        b"{\"a\\u0041\":1,\"aA\":2}",
        b"{\"a\":1}x",
        b"{\"a\":1} x",
    ];
    for c in cases {
        check_object(c);
    }
}

#[test]
fn nesting_is_limited_and_never_overflows() {
    for depth in [126, 127, 128, 129, 100_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        check(&text);
        let text = format!(
            "{}1{}",
            "{\"a\":[".repeat(depth / 2),
            "]}".repeat(depth / 2)
        );
        check(&text);
        let text = format!("{{\"a\":{}", "[".repeat(depth));
        check(&text);
    }
    assert!(json::from_str(&format!("{}{}", "[".repeat(127), "]".repeat(127))).is_ok());
    let e = json::from_str(&format!("{}{}", "[".repeat(128), "]".repeat(128))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "recursion limit exceeded at line 1 column 128"
    );
}

#[test]
fn powers_of_two_print_as_serde_json_prints_them() {
    // Where the interval of numbers that read back as `f` is narrower below than above.
    for e in -1074..=1023 {
        let f = 2f64.powi(e);
        for f in [f, -f, f * 1.5] {
            let a = json::to_string(&json::Value::from(f));
            assert_eq!(
                a,
                serde_json::to_string(&serde_json::Value::from(f)).unwrap()
            );
        }
    }
}

#[test]
fn many_floats_print_as_serde_json_prints_them() {
    // Random bit patterns, and decimals with few digits (where ties between two shortest
    // forms happen).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..200_000u32 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let f = if i % 2 == 0 {
            f64::from_bits(x)
        } else {
            (x % 100_000_000) as f64 / 10f64.powi((x >> 40) as i32 % 24 - 4)
        };
        let a = json::to_string(&json::Value::from(f));
        assert_eq!(
            a,
            serde_json::to_string(&serde_json::Value::from(f)).unwrap(),
            "{f:e}"
        );
    }
}

#[test]
fn thousands_of_members_are_read_fast() {
    // A 48 KB token payload can hold 6000 members; a scan per member would take seconds here.
    let members: Vec<String> = (0..6000).map(|i| format!("\"k{i}\":0")).collect();
    let text = format!("{{{}}}", members.join(","));
    let start = std::time::Instant::now();
    assert_eq!(
        json::object_from_slice(text.as_bytes()).unwrap().len(),
        6000
    );
    assert_eq!(
        json::from_str(&text).unwrap().as_object().unwrap().len(),
        6000
    );
    assert!(start.elapsed().as_millis() < 1000, "{:?}", start.elapsed());
}

#[test]
fn messages_name_line_and_column() {
    let e = json::from_str("{\"a\":\n  nope}").unwrap_err();
    assert_eq!(e.to_string(), "expected ident at line 2 column 4");
    assert_eq!((e.line(), e.column()), (2, 4));
    let e = json::object_from_slice(b"{\"iss\":\"a\",\"iss\":\"b\"}").unwrap_err();
    assert_eq!(
        e.to_string(),
        "member \"iss\" appears twice at line 1 column 21"
    );
}

/// A JSON value built the same way for both libraries.
#[derive(Debug, Clone)]
enum Tree {
    Null,
    Bool(bool),
    U(u64),
    I(i64),
    F(f64),
    S(String),
    A(Vec<Tree>),
    O(Vec<(String, Tree)>),
}

fn ours(t: &Tree) -> json::Value {
    use json::Value;
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::U(u) => Value::from(*u),
        Tree::I(i) => Value::from(*i),
        Tree::F(f) => Value::from(*f),
        Tree::S(s) => Value::String(s.clone()),
        Tree::A(a) => Value::Array(a.iter().map(ours).collect()),
        Tree::O(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), ours(v))).collect()),
    }
}

fn theirs(t: &Tree) -> serde_json::Value {
    use serde_json::Value;
    match t {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(*b),
        Tree::U(u) => Value::from(*u),
        Tree::I(i) => Value::from(*i),
        Tree::F(f) => Value::from(*f),
        Tree::S(s) => Value::String(s.clone()),
        Tree::A(a) => Value::Array(a.iter().map(theirs).collect()),
        Tree::O(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), theirs(v))).collect()),
    }
}

fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        any::<f64>(),
        (-1e6f64..1e6),
        (any::<i32>(), -30i32..30).prop_map(|(m, e)| f64::from(m) * 10f64.powi(e)),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        any::<u64>().prop_map(Tree::U),
        any::<i64>().prop_map(Tree::I),
        any_f64().prop_map(Tree::F),
        any::<String>().prop_map(Tree::S),
        "[\\x00-\\x1f\"\\\\/a\u{7f}\u{e9}\u{2028}\u{1f600}]{0,8}".prop_map(Tree::S),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::A),
            prop::collection::vec(("[a-c\"\\\\\n\u{e9}]{0,3}", inner), 0..6).prop_map(Tree::O),
        ]
    })
}

/// Pieces of JSON text, glued at random: mostly almost-valid text.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("fals".to_owned()),
        Just("\"k\":".to_owned()),
        Just("\\u".to_owned()),
        Just("\\uD83D".to_owned()),
        Just("\\uDE00".to_owned()),
        "-?[0-9]{0,22}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{0,4})?",
        "[a-z\u{e9}\u{1}]{1,3}",
    ];
    prop::collection::vec(piece, 0..14).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn writes_what_serde_json_writes(t in tree()) {
        let a = json::to_string(&ours(&t));
        let b = serde_json::to_string(&theirs(&t)).unwrap();
        prop_assert_eq!(&a, &b);
        // Display is the same text; parsing it back gives the same text again.
        prop_assert_eq!(ours(&t).to_string(), b.clone());
        prop_assert_eq!(our_verdict(&a), serde_verdict(&b));
    }

    #[test]
    fn floats_print_as_serde_json_prints_them(f in any_f64()) {
        let a = json::to_string(&json::Value::from(f));
        prop_assert_eq!(&a, &serde_json::to_string(&serde_json::Value::from(f)).unwrap());
        if f.is_finite() {
            // And read back to the same text as serde_json reads it.
            prop_assert_eq!(our_verdict(&a), serde_verdict(&a));
        }
    }

    #[test]
    fn number_texts_parse_as_serde_json_parses_them(
        text in "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?"
    ) {
        prop_assert_eq!(our_verdict(&text), serde_verdict(&text));
    }

    #[test]
    fn random_texts_parse_as_serde_json_parses_them(text in texty()) {
        check(&text);
        let wrapped = format!("{{\"a\":{text}}}");
        check(&wrapped);
    }

    #[test]
    fn repeated_names_in_large_objects_as_serde_json(keys in prop::collection::vec("[a-z]{1,2}", 0..80)) {
        // Past 16 members the names are looked up in sorted order.
        let members: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        let text = format!("{{{}}}", members.join(","));
        check(&text);
        let built: json::Map<String, json::Value> =
            keys.iter().enumerate().map(|(i, k)| (k.clone(), json::Value::from(i))).collect();
        let theirs: serde_json::Map<String, serde_json::Value> =
            keys.iter().enumerate().map(|(i, k)| (k.clone(), serde_json::Value::from(i))).collect();
        prop_assert_eq!(
            json::to_string(&json::Value::Object(built)),
            serde_json::to_string(&theirs).unwrap()
        );
    }

    #[test]
    fn random_bytes_parse_as_serde_json_parses_them(bytes in prop::collection::vec(any::<u8>(), 0..24)) {
        check_object(&bytes);
        let mut obj = b"{\"k\":\"".to_vec();
        obj.extend_from_slice(&bytes);
        obj.extend_from_slice(b"\"}");
        check_object(&obj);
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check(text);
        }
    }
}
