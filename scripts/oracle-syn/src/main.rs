//! oracle-syn: reads dw-rustparse records on stdin, parses the same files
//! with syn (the parser behind most Rust proc macros, rustc-grade for
//! syntax), matches items by file, kind, name and occurrence, and reports
//! how often each field agrees. Exit status 1 when an agreement is under
//! --min (default 99.5 %).
//!
//! Usage: dw-rustparse DIR | oracle-syn --root DIR [--min 99.5] [--examples N]

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead};

use quote::ToTokens;
use syn::spanned::Spanned;

/// One item as both sides describe it.
#[derive(Debug, Clone, Default)]
struct Item {
    kind: String,
    name: String,
    lines: (usize, usize),
    vis: String,
    is_async: bool,
    is_unsafe: bool,
    is_const: bool,
    docs: String,
    attrs: Vec<String>,
    impl_trait: String,
    self_type: String,
}

const FIELDS: &[&str] = &[
    "span", "visibility", "async", "unsafe", "const", "docs", "attrs", "impl_trait", "self_type",
];

impl Item {
    fn field(&self, f: &str) -> String {
        match f {
            "span" => format!("{}-{}", self.lines.0, self.lines.1),
            "visibility" => self.vis.clone(),
            "async" => self.is_async.to_string(),
            "unsafe" => self.is_unsafe.to_string(),
            "const" => self.is_const.to_string(),
            "docs" => self.docs.clone(),
            "attrs" => self.attrs.join(","),
            "impl_trait" => self.impl_trait.clone(),
            "self_type" => self.self_type.clone(),
            _ => unreachable!(),
        }
    }
}

/// squash drops all whitespace, so token printing and source text compare.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn tokens<T: ToTokens>(t: &T) -> String {
    squash(&t.to_token_stream().to_string())
}

fn vis(v: &syn::Visibility) -> String {
    match v {
        syn::Visibility::Inherited => "private".to_string(),
        other => tokens(other),
    }
}

fn lines<T: Spanned>(t: &T) -> (usize, usize) {
    let s = t.span();
    (s.start().line, s.end().line)
}

/// docs_attrs splits attributes into doc text (joined by newlines) and the
/// paths of the others, as dw-rustparse records them.
fn docs_attrs(attrs: &[syn::Attribute]) -> (String, Vec<String>) {
    let mut docs = Vec::new();
    let mut names = Vec::new();
    for a in attrs {
        if a.path.is_ident("doc") {
            if let Ok(syn::Meta::NameValue(nv)) = a.parse_meta() {
                if let syn::Lit::Str(s) = nv.lit {
                    docs.push(s.value());
                    continue;
                }
            }
        }
        names.push(tokens(&a.path));
    }
    (docs.join("\n"), names)
}

fn base(kind: &str, name: String, attrs: &[syn::Attribute], vis_: String, lines: (usize, usize)) -> Item {
    let (docs, attrs) = docs_attrs(attrs);
    Item { kind: kind.to_string(), name, lines, vis: vis_, docs, attrs, ..Default::default() }
}

fn with_sig(mut it: Item, sig: &syn::Signature) -> Item {
    it.is_async = sig.asyncness.is_some();
    it.is_unsafe = sig.unsafety.is_some();
    it.is_const = sig.constness.is_some();
    it
}

/// walk lists items in source order, parents before children, descending
/// into inline modules, impls, traits and extern blocks as dw-rustparse does.
fn walk(items: &[syn::Item], out: &mut Vec<Item>) {
    use syn::Item as I;
    for item in items {
        let l = lines(item);
        match item {
            I::Fn(f) => out.push(with_sig(base("fn", f.sig.ident.to_string(), &f.attrs, vis(&f.vis), l), &f.sig)),
            I::Struct(s) => out.push(base("struct", s.ident.to_string(), &s.attrs, vis(&s.vis), l)),
            I::Enum(e) => out.push(base("enum", e.ident.to_string(), &e.attrs, vis(&e.vis), l)),
            I::Union(u) => out.push(base("union", u.ident.to_string(), &u.attrs, vis(&u.vis), l)),
            I::Const(c) => out.push(base("const", c.ident.to_string(), &c.attrs, vis(&c.vis), l)),
            I::Static(s) => out.push(base("static", s.ident.to_string(), &s.attrs, vis(&s.vis), l)),
            I::Type(t) => out.push(base("type", t.ident.to_string(), &t.attrs, vis(&t.vis), l)),
            I::Macro(m) if m.mac.path.is_ident("macro_rules") && m.ident.is_some() => {
                out.push(base("macro", m.ident.as_ref().unwrap().to_string(), &m.attrs, "private".into(), l))
            }
            I::Trait(t) => {
                let mut it = base("trait", t.ident.to_string(), &t.attrs, vis(&t.vis), l);
                it.is_unsafe = t.unsafety.is_some();
                out.push(it);
                for ti in &t.items {
                    let l = lines(ti);
                    match ti {
                        syn::TraitItem::Method(m) => out.push(with_sig(base("fn", m.sig.ident.to_string(), &m.attrs, "private".into(), l), &m.sig)),
                        syn::TraitItem::Const(c) => out.push(base("const", c.ident.to_string(), &c.attrs, "private".into(), l)),
                        syn::TraitItem::Type(t) => out.push(base("type", t.ident.to_string(), &t.attrs, "private".into(), l)),
                        _ => {}
                    }
                }
            }
            I::Impl(i) => {
                let self_type = tokens(&*i.self_ty);
                let mut it = base("impl", self_type.clone(), &i.attrs, "private".into(), l);
                it.is_unsafe = i.unsafety.is_some();
                it.self_type = self_type;
                if let Some((_, path, _)) = &i.trait_ {
                    it.impl_trait = tokens(path);
                }
                out.push(it);
                for ii in &i.items {
                    let l = lines(ii);
                    match ii {
                        syn::ImplItem::Method(m) => out.push(with_sig(base("fn", m.sig.ident.to_string(), &m.attrs, vis(&m.vis), l), &m.sig)),
                        syn::ImplItem::Const(c) => out.push(base("const", c.ident.to_string(), &c.attrs, vis(&c.vis), l)),
                        syn::ImplItem::Type(t) => out.push(base("type", t.ident.to_string(), &t.attrs, vis(&t.vis), l)),
                        _ => {}
                    }
                }
            }
            I::Mod(m) => {
                out.push(base("mod", m.ident.to_string(), &m.attrs, vis(&m.vis), l));
                if let Some((_, content)) = &m.content {
                    walk(content, out);
                }
            }
            I::ForeignMod(fm) => {
                for fi in &fm.items {
                    let l = lines(fi);
                    match fi {
                        syn::ForeignItem::Fn(f) => out.push(with_sig(base("fn", f.sig.ident.to_string(), &f.attrs, vis(&f.vis), l), &f.sig)),
                        syn::ForeignItem::Static(s) => out.push(base("static", s.ident.to_string(), &s.attrs, vis(&s.vis), l)),
                        syn::ForeignItem::Type(t) => out.push(base("type", t.ident.to_string(), &t.attrs, vis(&t.vis), l)),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// ours turns one dw-rustparse item record into an Item.
fn ours(v: &serde_json::Value) -> Item {
    let r = &v["rust"];
    let s = |x: &serde_json::Value| x.as_str().unwrap_or("").to_string();
    let b = |x: &serde_json::Value| x.as_bool().unwrap_or(false);
    let kind = s(&v["kind"]);
    let mut it = Item {
        name: s(&r["name"]),
        lines: (
            v["source"]["start_line"].as_u64().unwrap_or(0) as usize,
            v["source"]["end_line"].as_u64().unwrap_or(0) as usize,
        ),
        vis: squash(&s(&r["visibility"])),
        is_async: b(&r["async"]),
        is_unsafe: b(&r["unsafe"]),
        is_const: b(&r["const"]),
        docs: s(&r["docs"]),
        attrs: r["attrs"].as_array().map(|a| a.iter().map(|x| squash(&s(&x["name"]))).collect()).unwrap_or_default(),
        ..Default::default()
    };
    if kind == "impl" {
        it.self_type = squash(&s(&r["impl"]["self_type"]));
        it.impl_trait = squash(&s(&r["impl"]["trait"]));
        it.name = it.self_type.clone();
    }
    it.kind = kind;
    it
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let root = flag("--root").unwrap_or_else(|| {
        eprintln!("usage: dw-rustparse DIR | oracle-syn --root DIR [--min 99.5] [--examples N]");
        std::process::exit(2)
    });
    let min: f64 = flag("--min").map(|m| m.parse().expect("--min: a percentage")).unwrap_or(99.5);
    let examples: usize = flag("--examples").map(|m| m.parse().expect("--examples: a count")).unwrap_or(3);

    // Our records, grouped by file, in stream order.
    let item_kinds = ["fn", "struct", "enum", "union", "trait", "impl", "mod", "macro", "const", "static", "type"];
    let mut files: Vec<String> = Vec::new();
    let mut by_file: HashMap<String, Vec<Item>> = HashMap::new();
    for (n, line) in io::stdin().lock().lines().enumerate() {
        let line = line.expect("reading stdin");
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("stdin:{}: {}", n + 1, e));
        let kind = v["kind"].as_str().unwrap_or("");
        let path = v["source"]["path"].as_str().unwrap_or("").to_string();
        if kind == "file" {
            files.push(path.clone());
            by_file.entry(path).or_default();
        } else if item_kinds.contains(&kind) {
            by_file.entry(path).or_default().push(ours(&v));
        }
    }

    let (mut n_ours, mut n_syn, mut matched, mut syn_failed) = (0usize, 0usize, 0usize, 0usize);
    let mut agree: BTreeMap<&str, usize> = FIELDS.iter().map(|f| (*f, 0)).collect();
    let mut shown: HashMap<&str, usize> = HashMap::new();
    let mut unmatched_shown = 0;
    for path in &files {
        let src = match std::fs::read_to_string(format!("{}/{}", root, path)) {
            Ok(s) => s,
            Err(e) => panic!("{}: {}", path, e),
        };
        let parsed = match syn::parse_file(&src) {
            Ok(f) => f,
            Err(_) => {
                syn_failed += 1; // syn 1 predates some syntax: not comparable
                continue;
            }
        };
        let mut theirs = Vec::new();
        walk(&parsed.items, &mut theirs);
        let mine = &by_file[path];
        n_ours += mine.len();
        n_syn += theirs.len();
        // Match by kind, name and occurrence of that pair in the file.
        let mut index: HashMap<(String, String), Vec<&Item>> = HashMap::new();
        for it in mine {
            index.entry((it.kind.clone(), it.name.clone())).or_default().push(it);
        }
        let mut used: HashMap<(String, String), usize> = HashMap::new();
        for t in &theirs {
            let key = (t.kind.clone(), t.name.clone());
            let k = used.entry(key.clone()).or_insert(0);
            let o = match index.get(&key).and_then(|v| v.get(*k)) {
                Some(o) => o,
                None => {
                    if unmatched_shown < examples {
                        eprintln!("unmatched: {} {} (syn only) at {}:{}", t.kind, t.name, path, t.lines.0);
                        unmatched_shown += 1;
                    }
                    continue;
                }
            };
            *k += 1;
            matched += 1;
            for f in FIELDS {
                let (a, b) = (o.field(f), t.field(f));
                if a == b {
                    *agree.get_mut(f).unwrap() += 1;
                } else if *shown.get(f).unwrap_or(&0) < examples {
                    *shown.entry(f).or_insert(0) += 1;
                    eprintln!("{} differs for {} {} at {}:{}:\n  ours {:?}\n  syn  {:?}", f, t.kind, t.name, path, t.lines.0, a, b);
                }
            }
        }
    }

    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    println!("files compared: {} (syn could not parse {} more)", files.len() - syn_failed, syn_failed);
    println!("items: syn {}, dw-rustparse {}, matched {}", n_syn, n_ours, matched);
    let mut ok = true;
    let mut row = |name: &str, p: f64| {
        let pass = p >= min;
        ok &= pass;
        println!("  {:<26} {:>8.3} %  {}", name, p, if pass { "ok" } else { "BELOW" });
    };
    row("found (kind + name), recall", pct(matched, n_syn));
    row("found, precision", pct(matched, n_ours));
    for f in FIELDS {
        row(f, pct(agree[f], matched));
    }
    println!("threshold {:.1} %: {}", min, if ok { "pass" } else { "FAIL" });
    if !ok {
        std::process::exit(1);
    }
}
