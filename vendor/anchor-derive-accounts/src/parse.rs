use {
    crate::pda::{discover_program_id, precompute_pda, seeds_as_byte_literals},
    proc_macro2::TokenStream as TokenStream2,
    quote::{quote, quote_spanned},
    syn::{
        ext::IdentExt, parse::ParseStream, spanned::Spanned, Attribute, Expr, Ident, Token, Type,
    },
};

/// snake_case → PascalCase + `Constraint` suffix, for looking up the
/// marker type on the `AccountConstraint` trait. Shared by the top-level
/// `namespace::key = value` parser and the `update(...)` parser.
fn constraint_key_ident(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + "Constraint".len());
    let mut upper_next = true;
    for ch in key.chars() {
        if ch == '_' {
            upper_next = true;
        } else if upper_next {
            out.extend(ch.to_uppercase());
            upper_next = false;
        } else {
            out.push(ch);
        }
    }
    out.push_str("Constraint");
    out
}

/// A namespaced constraint like `token::mint = expr`.
#[derive(Clone)]
pub struct NamespacedConstraint {
    /// e.g. "token"
    pub namespace: String,
    /// e.g. "MintConstraint" (PascalCased key + `Constraint` suffix, used
    /// to locate the marker on the `AccountConstraint` trait).
    pub key: String,
    /// e.g. "mint" (original lowercase key, used as init param field name)
    pub raw_key: String,
    /// The RHS expression.
    pub value: Expr,
    /// True if parsed from inside an `update(...)` wrapper. Update
    /// entries dispatch through `AccountConstraint::update` instead of
    /// `check`, and skip the init-param thread-through.
    pub is_update: bool,
}

#[derive(Clone)]
pub struct AccountAttrs {
    pub is_mut: bool,
    pub is_signer: bool,
    pub is_init: bool,
    pub is_init_if_needed: bool,
    pub is_zeroed: bool,
    pub is_executable: bool,
    pub is_dup: bool,
    pub init_span: Option<proc_macro2::Span>,
    pub init_if_needed_span: Option<proc_macro2::Span>,
    /// None = no bump attr, Some(None) = `bump` without value, Some(Some(expr)) = `bump = expr`
    pub bump: Option<Option<Expr>>,
    pub payer: Option<Ident>,
    pub space: Option<Expr>,
    pub seeds: Option<Expr>,
    /// Override program_id for PDA derivation: `seeds::program = expr`
    pub seeds_program: Option<Expr>,
    /// `(keyword_span, target, error_expr)`. `keyword_span` is the span of
    /// the `has_one` keyword itself so the deprecation warning emitted by
    /// the codegen can underline the original attribute.
    pub has_one: Vec<(proc_macro2::Span, Ident, Option<Expr>)>,
    pub address: Option<Expr>,
    pub address_error: Option<Expr>,
    pub owner: Option<Expr>,
    pub owner_error: Option<Expr>,
    pub close: Option<Ident>,
    /// Arbitrary boolean constraints in source order. Each entry is `(expr,
    /// optional custom-error expr)`. Both `constraint = expr [@ err]` and
    /// the parenthesized `constraint(expr [@ err])` push here, and any
    /// number of either spelling may appear in a single `#[account(...)]` —
    /// they are emitted as checks in the order written.
    pub raw_constraints: Vec<(Expr, Option<Expr>)>,
    pub realloc: Option<Expr>,
    pub realloc_span: Option<proc_macro2::Span>,
    pub realloc_payer: Option<Ident>,
    pub realloc_zero: bool,
    /// Namespaced constraints: token::mint, mint::authority, etc.
    pub namespaced: Vec<NamespacedConstraint>,
}

struct AssociatedTokenInit {
    mint: Ident,
    authority: Ident,
    token_program: Ident,
}

/// PDA metadata produced by seed classification. Each entry is a pre-built
/// Per-seed metadata in either pre-serialized JSON form (static cases) or
/// as a runtime token expression (const-evaluatable fallback). `program`
/// mirrors the optional `seeds::program = expr` override.
#[derive(Clone)]
pub struct IdlPdaMeta {
    pub seeds: crate::idl::SeedListJson,
    pub program: Option<crate::idl::SeedJson>,
}

pub fn parse_account_attrs(attrs: &[Attribute]) -> syn::Result<AccountAttrs> {
    let mut explicit_mut = None;
    let mut realloc_zero_seen = false;
    let mut result = AccountAttrs {
        is_mut: false,
        is_signer: false,
        is_init: false,
        is_init_if_needed: false,
        is_zeroed: false,
        is_executable: false,
        is_dup: false,
        init_span: None,
        init_if_needed_span: None,
        bump: None,
        payer: None,
        space: None,
        seeds: None,
        seeds_program: None,
        has_one: Vec::new(),
        address: None,
        address_error: None,
        owner: None,
        owner_error: None,
        close: None,
        raw_constraints: Vec::new(),
        realloc: None,
        realloc_span: None,
        realloc_payer: None,
        realloc_zero: false,
        namespaced: Vec::new(),
    };

    let duplicate_singleton = |span: proc_macro2::Span, name: &str| -> syn::Error {
        syn::Error::new(span, format!("`{name}` already provided"))
    };

    for attr in attrs {
        if !attr.path().is_ident("account") {
            continue;
        }
        attr.parse_args_with(|input: ParseStream| {
            while !input.is_empty() {
                let ident = Ident::parse_any(input)?;
                match ident.to_string().as_str() {
                    "mut" => {
                        if explicit_mut.is_some() {
                            return Err(duplicate_singleton(ident.span(), "mut"));
                        }
                        explicit_mut = Some(ident.span());
                        result.is_mut = true;
                    }
                    "init" => {
                        if result.is_init {
                            return Err(duplicate_singleton(ident.span(), "init"));
                        }
                        if result.is_init_if_needed || result.is_zeroed {
                            return Err(syn::Error::new(
                                ident.span(),
                                "only one of `init`, `init_if_needed`, and `zeroed` may be used",
                            ));
                        }
                        result.is_init = true;
                        result.is_mut = true;
                        result.init_span = Some(ident.span());
                    }
                    "init_if_needed" => {
                        if result.is_init_if_needed {
                            return Err(duplicate_singleton(ident.span(), "init_if_needed"));
                        }
                        if result.is_init || result.is_zeroed {
                            return Err(syn::Error::new(
                                ident.span(),
                                "only one of `init`, `init_if_needed`, and `zeroed` may be used",
                            ));
                        }
                        result.is_init_if_needed = true;
                        result.is_mut = true;
                        result.init_if_needed_span = Some(ident.span());
                    }
                    "zeroed" => {
                        if result.is_zeroed {
                            return Err(duplicate_singleton(ident.span(), "zeroed"));
                        }
                        if result.is_init || result.is_init_if_needed {
                            return Err(syn::Error::new(
                                ident.span(),
                                "only one of `init`, `init_if_needed`, and `zeroed` may be used",
                            ));
                        }
                        result.is_zeroed = true;
                        result.is_mut = true;
                    }
                    "bump" => {
                        if result.bump.is_some() {
                            return Err(duplicate_singleton(ident.span(), "bump"));
                        }
                        if input.peek(Token![=]) {
                            input.parse::<Token![=]>()?;
                            result.bump = Some(Some(input.parse()?));
                        } else {
                            result.bump = Some(None);
                        }
                    }
                    "signer" => {
                        if result.is_signer {
                            return Err(duplicate_singleton(ident.span(), "signer"));
                        }
                        result.is_signer = true;
                    }
                    "executable" => {
                        if result.is_executable {
                            return Err(duplicate_singleton(ident.span(), "executable"));
                        }
                        result.is_executable = true;
                    }
                    "dup" => {
                        return Err(syn::Error::new(
                            ident.span(),
                            "`dup` bypasses duplicate-account safety checks and must be \
                             explicitly marked unsafe: use `unsafe(dup)`",
                        ));
                    }
                    "unsafe" => {
                        let content;
                        syn::parenthesized!(content in input);
                        let inner: Ident = content.parse()?;
                        match inner.to_string().as_str() {
                            "dup" => {
                                if result.is_dup {
                                    return Err(duplicate_singleton(inner.span(), "unsafe(dup)"));
                                }
                                result.is_dup = true;
                                result.is_mut = true;
                            }
                            _ => {
                                return Err(syn::Error::new(
                                    inner.span(),
                                    format!("unknown unsafe constraint `{inner}`"),
                                ));
                            }
                        }
                    }
                    "update" => {
                        // `update(ns::key = val, ns2::key2 = val2, ...)` —
                        // each inner entry is a namespaced constraint that
                        // dispatches through `AccountConstraint::update`
                        // instead of `check`. Implies `mut` since update
                        // hooks mutate the account.
                        let content;
                        syn::parenthesized!(content in input);
                        result.is_mut = true;
                        while !content.is_empty() {
                            let ns_ident: Ident = Ident::parse_any(&content)?;
                            if ns_ident == "associated_token" {
                                return Err(syn::Error::new(
                                    ns_ident.span(),
                                    "`update(associated_token::...)` constraints are not supported",
                                ));
                            }
                            content.parse::<Token![::]>()?;
                            let key_ident: Ident = Ident::parse_any(&content)?;
                            content.parse::<Token![=]>()?;
                            let value: Expr = content.parse()?;
                            let namespace = ns_ident.to_string();
                            let raw_key = key_ident.to_string();
                            if result.namespaced.iter().any(|nc| {
                                nc.is_update && nc.namespace == namespace && nc.raw_key == raw_key
                            }) {
                                return Err(syn::Error::new(
                                    key_ident.span(),
                                    format!("duplicate `{namespace}::{raw_key}` constraint"),
                                ));
                            }
                            let key = constraint_key_ident(&raw_key);
                            result.namespaced.push(NamespacedConstraint {
                                namespace,
                                key,
                                raw_key,
                                value,
                                is_update: true,
                            });
                            if !content.is_empty() {
                                content.parse::<Token![,]>()?;
                            }
                        }
                    }
                    "payer" => {
                        input.parse::<Token![=]>()?;
                        if result.payer.is_some() {
                            return Err(duplicate_singleton(ident.span(), "payer"));
                        }
                        result.payer = Some(input.parse()?);
                    }
                    "space" => {
                        input.parse::<Token![=]>()?;
                        if result.space.is_some() {
                            return Err(duplicate_singleton(ident.span(), "space"));
                        }
                        result.space = Some(input.parse()?);
                    }
                    "seeds" if input.peek(Token![=]) => {
                        input.parse::<Token![=]>()?;
                        if result.seeds.is_some() {
                            return Err(duplicate_singleton(ident.span(), "seeds"));
                        }
                        result.seeds = Some(input.parse()?);
                    }
                    // `seeds::program = expr` falls through to the
                    // namespaced-path handler below. Adding an explicit
                    // `seeds` arm without a peek check would eat the `seeds`
                    // ident and then fail to parse the following `::`.
                    "has_one" => {
                        let keyword_span = ident.span();
                        input.parse::<Token![=]>()?;
                        let target: Ident = input.parse()?;
                        if result
                            .has_one
                            .iter()
                            .any(|(_, existing, _)| *existing == target)
                        {
                            return Err(syn::Error::new(
                                target.span(),
                                format!("duplicate `has_one = {target}` constraint"),
                            ));
                        }
                        let err = if input.peek(Token![@]) {
                            input.parse::<Token![@]>()?;
                            Some(input.parse()?)
                        } else {
                            None
                        };
                        result.has_one.push((keyword_span, target, err));
                    }
                    "address" => {
                        input.parse::<Token![=]>()?;
                        if result.address.is_some() {
                            return Err(duplicate_singleton(ident.span(), "address"));
                        }
                        result.address = Some(input.parse()?);
                        if input.peek(Token![@]) {
                            input.parse::<Token![@]>()?;
                            result.address_error = Some(input.parse()?);
                        }
                    }
                    "owner" => {
                        input.parse::<Token![=]>()?;
                        if result.owner.is_some() {
                            return Err(duplicate_singleton(ident.span(), "owner"));
                        }
                        result.owner = Some(input.parse()?);
                        if input.peek(Token![@]) {
                            input.parse::<Token![@]>()?;
                            result.owner_error = Some(input.parse()?);
                        }
                    }
                    "realloc" => {
                        input.parse::<Token![=]>()?;
                        if result.realloc.is_some() {
                            return Err(duplicate_singleton(ident.span(), "realloc"));
                        }
                        result.realloc = Some(input.parse()?);
                        result.realloc_span = Some(ident.span());
                        result.is_mut = true;
                    }
                    "realloc_payer" => {
                        input.parse::<Token![=]>()?;
                        if result.realloc_payer.is_some() {
                            return Err(duplicate_singleton(ident.span(), "realloc_payer"));
                        }
                        result.realloc_payer = Some(input.parse()?);
                    }
                    "realloc_zero" => {
                        input.parse::<Token![=]>()?;
                        if realloc_zero_seen {
                            return Err(duplicate_singleton(ident.span(), "realloc_zero"));
                        }
                        realloc_zero_seen = true;
                        let val: syn::LitBool = input.parse()?;
                        result.realloc_zero = val.value;
                    }
                    "close" => {
                        input.parse::<Token![=]>()?;
                        if result.close.is_some() {
                            return Err(duplicate_singleton(ident.span(), "close"));
                        }
                        result.close = Some(input.parse()?);
                    }
                    "constraint" => {
                        // Two accepted spellings, both pushing to the same
                        // ordered list:
                        //   - `constraint = expr [@ err]`     (legacy)
                        //   - `constraint(expr [@ err])`      (parens)
                        // Either form may appear multiple times in a single
                        // `#[account(...)]`; checks fire in source order.
                        if input.peek(syn::token::Paren) {
                            let content;
                            syn::parenthesized!(content in input);
                            let expr: Expr = content.parse()?;
                            reject_obvious_non_bool_constraint(&expr)?;
                            let err = if content.peek(Token![@]) {
                                content.parse::<Token![@]>()?;
                                Some(content.parse()?)
                            } else {
                                None
                            };
                            if !content.is_empty() {
                                return Err(content.error(
                                    "expected a single `expr [@ err]` inside `constraint(...)`; \
                                     write multiple `constraint(...)` entries to chain checks",
                                ));
                            }
                            result.raw_constraints.push((expr, err));
                        } else {
                            input.parse::<Token![=]>()?;
                            let expr: Expr = input.parse()?;
                            reject_obvious_non_bool_constraint(&expr)?;
                            let err = if input.peek(Token![@]) {
                                input.parse::<Token![@]>()?;
                                Some(input.parse()?)
                            } else {
                                None
                            };
                            result.raw_constraints.push((expr, err));
                        }
                    }
                    _ => {
                        // Check for namespaced constraint: namespace::key = value
                        if input.peek(Token![::]) {
                            input.parse::<Token![::]>()?;
                            let key_ident = Ident::parse_any(input)?;
                            // seeds::program = expr — special case, stored separately
                            if ident == "seeds" && key_ident == "program" {
                                if result.seeds_program.is_some() {
                                    return Err(syn::Error::new(
                                        key_ident.span(),
                                        "`seeds::program` already provided",
                                    ));
                                }
                                input.parse::<Token![=]>()?;
                                result.seeds_program = Some(input.parse()?);
                                if !input.is_empty() {
                                    input.parse::<Token![,]>()?;
                                }
                                continue;
                            }
                            input.parse::<Token![=]>()?;
                            let value: Expr = input.parse()?;
                            let namespace = ident.to_string();
                            let raw_key = key_ident.to_string();
                            if result.namespaced.iter().any(|nc| {
                                !nc.is_update && nc.namespace == namespace && nc.raw_key == raw_key
                            }) {
                                return Err(syn::Error::new(
                                    key_ident.span(),
                                    format!("duplicate `{namespace}::{raw_key}` constraint"),
                                ));
                            }
                            let key = constraint_key_ident(&raw_key);
                            result.namespaced.push(NamespacedConstraint {
                                namespace,
                                key,
                                raw_key,
                                value,
                                is_update: false,
                            });
                        } else {
                            // No `::` follows — not a namespaced constraint.
                            // Reject to catch typos like `singler` instead of `signer`.
                            return Err(syn::Error::new(
                                ident.span(),
                                format!("unknown account constraint `{ident}`"),
                            ));
                        }
                    }
                }
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            Ok(())
        })?;
    }

    if result.seeds_program.is_some() && result.seeds.is_none() {
        return Err(syn::Error::new(
            result.seeds_program.as_ref().unwrap().span(),
            "seeds must be provided before seeds::program",
        ));
    }

    // Reject `init` + `bump = <expr>` (mirroring Anchor v1). Account
    // creation requires an off-curve address, which is only guaranteed by
    // the canonical bump returned by `find_program_address`. A caller-
    // supplied bump could be non-canonical and either create the wrong
    // PDA or fail under the runtime's curve check, so we don't allow the
    // combination at all.
    //
    // `init_if_needed` is different: the create branch still uses the
    // canonical bump, while the existing-account branch can verify an
    // explicit stored bump after loading the account.
    if result.is_init && matches!(result.bump, Some(Some(_))) {
        if let Some(Some(ref bump_expr)) = result.bump {
            return Err(syn::Error::new(
                syn::spanned::Spanned::span(bump_expr),
                "`bump = <expr>` is not allowed with `init`: account creation must use the \
                 canonical bump (write `bump` without a value)",
            ));
        }
    }

    if let Some(span) = explicit_mut {
        if result.is_init || result.is_init_if_needed {
            return Err(syn::Error::new(span, "mut cannot be provided with init"));
        }
        if result.is_zeroed {
            return Err(syn::Error::new(span, "mut cannot be provided with zeroed"));
        }
    }

    if result.close.is_some() && (result.is_init || result.is_init_if_needed || result.is_zeroed) {
        return Err(syn::Error::new(
            result.close.as_ref().unwrap().span(),
            "`close` cannot be used with `init`, `init_if_needed`, or `zeroed`",
        ));
    }

    if result.realloc.is_some() && (result.is_init || result.is_init_if_needed || result.is_zeroed)
    {
        return Err(syn::Error::new(
            result.realloc.as_ref().unwrap().span(),
            "`realloc` cannot be used with `init`, `init_if_needed`, or `zeroed`",
        ));
    }

    if result.payer.is_some() && !(result.is_init || result.is_init_if_needed) {
        return Err(syn::Error::new(
            result.payer.as_ref().unwrap().span(),
            "`payer` requires `init` or `init_if_needed`",
        ));
    }

    if (result.is_init || result.is_init_if_needed) && result.payer.is_none() {
        return Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            "`init` and `init_if_needed` require `payer`",
        ));
    }

    if result.space.is_some() && !(result.is_init || result.is_init_if_needed) {
        return Err(syn::Error::new(
            result.space.as_ref().unwrap().span(),
            "`space` requires `init` or `init_if_needed`",
        ));
    }

    if result.bump.is_some() && result.seeds.is_none() {
        let span = match result.bump.as_ref().unwrap() {
            Some(expr) => syn::spanned::Spanned::span(expr),
            None => proc_macro2::Span::call_site(),
        };
        return Err(syn::Error::new(span, "`bump` requires `seeds`"));
    }

    if result.seeds.is_some() && result.bump.is_none() {
        return Err(syn::Error::new(
            result.seeds.as_ref().unwrap().span(),
            "`seeds` requires `bump`",
        ));
    }
    if let Some(program) = result.seeds_program.as_ref() {
        if result.is_init_if_needed {
            return Err(syn::Error::new(
                syn::spanned::Spanned::span(program),
                "`seeds::program` cannot be used with `init_if_needed`",
            ));
        }
        if result.is_init {
            return Err(syn::Error::new(
                syn::spanned::Spanned::span(program),
                "`seeds::program` cannot be used with `init`",
            ));
        }
    }
    if result.realloc_payer.is_some() && result.realloc.is_none() {
        return Err(syn::Error::new(
            result.realloc_payer.as_ref().unwrap().span(),
            "`realloc_payer` requires `realloc`",
        ));
    }

    if result.realloc.is_some() && result.realloc_payer.is_none() {
        return Err(syn::Error::new(
            result.realloc.as_ref().unwrap().span(),
            "`realloc` requires `realloc_payer`",
        ));
    }

    if result.realloc.is_some() && !realloc_zero_seen {
        return Err(syn::Error::new(
            result.realloc.as_ref().unwrap().span(),
            "`realloc` requires `realloc_zero`",
        ));
    }

    if realloc_zero_seen && result.realloc.is_none() {
        return Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            "`realloc_zero` requires `realloc`",
        ));
    }

    let has_namespaced = |ns: &str, key: &str, allow_update: bool| {
        result
            .namespaced
            .iter()
            .any(|nc| (allow_update || !nc.is_update) && nc.namespace == ns && nc.raw_key == key)
    };
    if result.is_init || result.is_init_if_needed {
        for (namespace, left, right, allow_update) in [
            ("token", "mint", "authority", false),
            // `update(mint::...)` constraints should still compile on init
            // accounts; they are applied later and must not leak into the
            // init params that `Mint::create_and_initialize` consumes.
            ("mint", "decimals", "authority", true),
        ] {
            let has_left = has_namespaced(namespace, left, allow_update);
            let has_right = has_namespaced(namespace, right, allow_update);
            if has_left != has_right {
                let (missing, present) = if has_left {
                    (right, left)
                } else {
                    (left, right)
                };
                return Err(syn::Error::new(
                    proc_macro2::Span::call_site(),
                    format!(
                        "when initializing, `{namespace}::{missing}` must be provided if \
                         `{namespace}::{present}` is"
                    ),
                ));
            }
        }
    }
    Ok(result)
}

fn reject_obvious_non_bool_constraint(expr: &Expr) -> syn::Result<()> {
    if let Expr::Lit(expr_lit) = expr {
        if !matches!(expr_lit.lit, syn::Lit::Bool(_)) {
            return Err(syn::Error::new_spanned(
                expr,
                "`constraint` expects a boolean expression; non-boolean literals like strings and \
                 numbers are rejected",
            ));
        }
    }
    Ok(())
}

pub fn field_ty_str(ty: &Type) -> String {
    if let Type::Path(tp) = ty {
        if let Some(seg) = tp.path.segments.last() {
            return seg.ident.to_string();
        }
    }
    String::new()
}

/// Namespaced constraints whose values are threaded as init-time `Params`
/// fields via `AccountInitialize::Params`. Only built-in namespaces that
/// correspond to SPL account types belong here — every other namespace
/// (including all third-party constraints) is runtime-only and dispatches
/// through the `AccountConstraint` trait.
fn has_init_params(ns: &str) -> bool {
    matches!(ns, "token" | "mint" | "associated_token")
}

/// Returns `true` when the namespace is runtime-only: its values are
/// applied via `AccountConstraint::{init, check, update, exit}` rather
/// than being threaded as init-time `Params` fields.
///
/// Any namespace that is NOT a known init-param provider is runtime-only,
/// so third-party crates can define arbitrary namespaced constraints
/// (e.g. `my_ns::min_balance = 1_000_000`) without changes to this file.
pub fn is_runtime_only_constraint_ns(ns: &str) -> bool {
    !has_init_params(ns)
}

fn expr_as_field_ident(expr: &Expr) -> Option<Ident> {
    let Expr::Path(path) = expr else {
        return None;
    };
    if path.qself.is_some() || path.path.segments.len() != 1 {
        return None;
    }
    Some(path.path.segments[0].ident.clone())
}

fn expr_as_known_field_ident(expr: &Expr, field_names: &[String]) -> Option<Ident> {
    let ident = expr_as_field_ident(expr)?;
    field_names
        .iter()
        .any(|field_name| field_name == &ident.to_string())
        .then_some(ident)
}

fn expr_root_ident(expr: &Expr) -> Option<Ident> {
    match expr {
        Expr::Path(path) => {
            if path.qself.is_some() || path.path.segments.is_empty() {
                return None;
            }
            Some(path.path.segments[0].ident.clone())
        }
        Expr::Field(field) => expr_root_ident(&field.base),
        Expr::MethodCall(call) => expr_root_ident(&call.receiver),
        Expr::Paren(paren) => expr_root_ident(&paren.expr),
        Expr::Reference(reference) => expr_root_ident(&reference.expr),
        Expr::Unary(unary) => expr_root_ident(&unary.expr),
        _ => None,
    }
}

fn expr_root_known_field_ident(expr: &Expr, field_names: &[String]) -> Option<Ident> {
    let ident = expr_root_ident(expr)?;
    field_names
        .iter()
        .any(|field_name| field_name == &ident.to_string())
        .then_some(ident)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BuiltinConstraintValueKind {
    Address,
    Direct,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum BuiltinInitParamValueKind {
    AccountView,
    Direct,
}

fn builtin_constraint_value_kind(
    namespace: &str,
    raw_key: &str,
) -> Option<BuiltinConstraintValueKind> {
    match (namespace, raw_key) {
        ("mint", "authority" | "freeze_authority" | "token_program")
        | ("token", "mint" | "authority" | "token_program")
        | ("associated_token", "mint" | "authority" | "token_program") => {
            Some(BuiltinConstraintValueKind::Address)
        }
        ("mint", "decimals") => Some(BuiltinConstraintValueKind::Direct),
        _ => None,
    }
}

fn builtin_init_param_value_kind(
    namespace: &str,
    raw_key: &str,
) -> Option<BuiltinInitParamValueKind> {
    match (namespace, raw_key) {
        ("mint", "decimals") => Some(BuiltinInitParamValueKind::Direct),
        ("mint", "authority" | "freeze_authority" | "token_program")
        | ("token", "mint" | "authority" | "token_program") => {
            Some(BuiltinInitParamValueKind::AccountView)
        }
        _ => None,
    }
}

fn render_constraint_value_expr(
    expr: &Expr,
    field_names: &[String],
    exit_context: bool,
) -> TokenStream2 {
    if exit_context && expr_root_known_field_ident(expr, field_names).is_some() {
        quote! { self.#expr }
    } else {
        quote! { #expr }
    }
}

fn field_is_optional(field_summaries: &[FieldSummary], ident: &Ident) -> bool {
    field_summaries
        .iter()
        .find(|summary| summary.name == *ident)
        .and_then(|summary| extract_option_inner(&summary.ty))
        .is_some()
}

fn emit_constraint_expected_binding(
    _namespace: &Ident,
    _key: &Ident,
    nc: &NamespacedConstraint,
    field_names: &[String],
    field_summaries: &[FieldSummary],
    exit_context: bool,
) -> (TokenStream2, TokenStream2) {
    let value = &nc.value;
    let value_expr = render_constraint_value_expr(value, field_names, exit_context);

    match builtin_constraint_value_kind(&nc.namespace, &nc.raw_key) {
        Some(BuiltinConstraintValueKind::Address) => {
            let expected_value =
                if let Some(field_ident) = expr_as_known_field_ident(value, field_names) {
                    if field_is_optional(field_summaries, &field_ident) {
                        quote! {
                            match (#value_expr).as_ref() {
                                Some(__anchor_account) => *__anchor_account.account().address(),
                                None => {
                                    return Err(
                                        anchor_lang::ErrorCode::ConstraintAccountIsNone.into()
                                    );
                                }
                            }
                        }
                    } else {
                        quote! { *anchor_lang::AccountAddress::account_address(&(#value_expr)) }
                    }
                } else {
                    quote! { core::convert::Into::<anchor_lang::Address>::into(#value_expr) }
                };
            (
                quote! {
                    let __anchor_expected = #expected_value;
                },
                quote! { &__anchor_expected },
            )
        }
        Some(BuiltinConstraintValueKind::Direct) => (
            quote! { let __anchor_expected = &(#value_expr); },
            quote! { __anchor_expected },
        ),
        None if expr_as_known_field_ident(value, field_names).is_some() => (
            quote! { let __anchor_expected = AsRef::as_ref(&(#value_expr)); },
            quote! { __anchor_expected },
        ),
        None => (
            quote! { let __anchor_expected = &(#value_expr); },
            quote! { __anchor_expected },
        ),
    }
}

fn validate_init_constraint_refs(
    field_name: &Ident,
    attrs: &AccountAttrs,
    field_names: &[String],
    field_summaries: &[FieldSummary],
) -> syn::Result<()> {
    if !(attrs.is_init || attrs.is_init_if_needed) {
        return Ok(());
    }

    let current_index = field_summaries
        .iter()
        .position(|summary| summary.name == *field_name)
        .expect("current field should exist in summaries");

    for nc in &attrs.namespaced {
        if !nc.is_update
            && matches!(
                builtin_init_param_value_kind(&nc.namespace, &nc.raw_key),
                Some(BuiltinInitParamValueKind::AccountView)
            )
            && expr_as_known_field_ident(&nc.value, field_names).is_none()
        {
            return Err(syn::Error::new(
                nc.value.span(),
                format!(
                    "SPL init constraint `{}::{}` needs an AccountView, not a pubkey. Use a \
                     sibling account field of your Accounts struct instead of a const or field \
                     access",
                    nc.namespace, nc.raw_key
                ),
            ));
        }

        let Some(root) = expr_root_ident(&nc.value) else {
            continue;
        };
        let Some(root_index) = field_summaries
            .iter()
            .position(|summary| summary.name == root)
        else {
            continue;
        };

        if root == *field_name {
            return Err(syn::Error::new(
                nc.value.span(),
                format!(
                    "`{}::{}` cannot reference `{}` while that account is still being initialized",
                    nc.namespace, nc.raw_key, root
                ),
            ));
        }

        let root_attrs = &field_summaries[root_index].attrs;
        if root_index > current_index && (root_attrs.is_init || root_attrs.is_init_if_needed) {
            return Err(syn::Error::new(
                nc.value.span(),
                format!(
                    "`{}::{}` cannot reference later init field `{}` before it is initialized",
                    nc.namespace, nc.raw_key, root
                ),
            ));
        }
    }

    Ok(())
}
fn field_offset_expr(
    field_offsets: &[(String, TokenStream2)],
    ident: &Ident,
) -> syn::Result<TokenStream2> {
    let name = ident.to_string();
    field_offsets
        .iter()
        .find_map(|(field, offset)| (field == &name).then(|| offset.clone()))
        .ok_or_else(|| {
            syn::Error::new(
                ident.span(),
                format!("associated_token constraint references unknown account `{name}`"),
            )
        })
}

fn anchor_account_field_type(ty: &Type) -> &Type {
    let Type::Path(type_path) = ty else {
        return ty;
    };
    let Some(segment) = type_path.path.segments.last() else {
        return ty;
    };

    if matches!(segment.ident.to_string().as_str(), "Box" | "Option") {
        if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return anchor_account_field_type(inner);
            }
        }
    }

    ty
}

fn field_readonly_cpi_handle_expr(
    field_summaries: &[FieldSummary],
    ident: &Ident,
    view: TokenStream2,
) -> syn::Result<TokenStream2> {
    field_summaries
        .iter()
        .find(|summary| summary.name == *ident)
        .map(|summary| {
            let field_ty = anchor_account_field_type(&summary.ty);
            let is_mut = summary.attrs.is_mut;
            quote! {
                anchor_lang::__private::readonly_cpi_handle_for_account_field(
                    #view,
                    #is_mut
                        && <#field_ty as anchor_lang::AnchorAccount>
                            ::RELAX_READONLY_CPI_BORROW_FROM_MUT,
                )
            }
        })
        .ok_or_else(|| {
            syn::Error::new(
                ident.span(),
                format!("missing field summary for `{ident}` in account parser"),
            )
        })
}

fn parse_associated_token_init(
    attrs: &AccountAttrs,
    field_names: &[String],
) -> syn::Result<Option<AssociatedTokenInit>> {
    let mut mint = None;
    let mut authority = None;
    let mut token_program = None;

    for nc in attrs
        .namespaced
        .iter()
        .filter(|nc| nc.namespace == "associated_token")
    {
        let target = match nc.raw_key.as_str() {
            "mint" => &mut mint,
            "authority" => &mut authority,
            "token_program" => &mut token_program,
            _ => {
                return Err(syn::Error::new(
                    nc.value.span(),
                    format!("unknown `associated_token` constraint `{}`", nc.raw_key),
                ));
            }
        };

        let Some(ident) = expr_as_field_ident(&nc.value) else {
            return Err(syn::Error::new(
                nc.value.span(),
                "associated_token constraints currently require sibling account field references",
            ));
        };

        if !field_names.iter().any(|name| name == &ident.to_string()) {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "associated_token constraint references unknown account `{}`",
                    ident
                ),
            ));
        }

        *target = Some(ident);
    }

    if mint.is_none() && authority.is_none() && token_program.is_none() {
        return Ok(None);
    }

    if attrs.seeds.is_some() {
        return Err(syn::Error::new(
            attrs.seeds.as_ref().unwrap().span(),
            "`associated_token` constraints cannot be used with `seeds`",
        ));
    }

    let mint = mint.ok_or_else(|| {
        syn::Error::new(
            proc_macro2::Span::call_site(),
            "`associated_token::mint` is required when using associated_token constraints",
        )
    })?;
    let authority = authority.ok_or_else(|| {
        syn::Error::new(
            proc_macro2::Span::call_site(),
            "`associated_token::authority` is required when using associated_token constraints",
        )
    })?;
    let token_program = token_program
        .unwrap_or_else(|| Ident::new("token_program", proc_macro2::Span::call_site()));

    Ok(Some(AssociatedTokenInit {
        mint,
        authority,
        token_program,
    }))
}

fn validate_associated_token_init_refs(
    attrs: &AccountAttrs,
    associated_token: Option<&AssociatedTokenInit>,
    field_summaries: &[FieldSummary],
) -> syn::Result<()> {
    let Some(at) = associated_token else {
        return Ok(());
    };
    if !(attrs.is_init || attrs.is_init_if_needed) {
        return Ok(());
    }

    for ident in [&at.mint, &at.authority, &at.token_program] {
        if field_is_optional(field_summaries, ident) {
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "`associated_token` constraints cannot reference optional account `{ident}` during init"
                ),
            ));
        }
    }

    Ok(())
}

/// Wrap the `Result<Self>`-yielding `init_body` so that each runtime-only
/// namespaced constraint's `AccountConstraint::init` fires against the
/// freshly-typed value, then return the typed value. Producing this
/// wrapper inline (rather than threading the calls through the outer
/// constraints vec) keeps init hooks scoped to the actual create branch —
/// on `init_if_needed`, an already-existing account skips this block and
/// therefore skips every init hook.
fn wrap_init_body_with_constraints(
    field_ty: &Type,
    attrs: &AccountAttrs,
    field_names: &[String],
    init_body: &TokenStream2,
) -> TokenStream2 {
    let init_calls: Vec<TokenStream2> = attrs
        .namespaced
        .iter()
        .filter(|nc| !nc.is_update && is_runtime_only_constraint_ns(&nc.namespace))
        .map(|nc| {
            let ns = syn::Ident::new(&nc.namespace, proc_macro2::Span::call_site());
            let key = syn::Ident::new(&nc.key, proc_macro2::Span::call_site());
            let value = &nc.value;
            let expected = if expr_as_known_field_ident(value, field_names).is_some() {
                quote! { AsRef::as_ref(&#value) }
            } else {
                quote! { &#value }
            };
            quote! {
                <#ns::#key as anchor_lang::AccountConstraint<_>>::init(
                    &mut __init, #expected,
                )?;
            }
        })
        .collect();

    if init_calls.is_empty() {
        return quote! { #init_body };
    }

    // `init_body` is a sequence of `let` statements ending in the
    // `create_and_initialize(...)?` expression — wrap it in a block so
    // the sequence resolves to a value that can be bound to `__init`.
    quote! {
        {
            let mut __init: #field_ty = { #init_body };
            #(#init_calls)*
            __init
        }
    }
}

pub fn is_nested_type(ty: &Type) -> bool {
    if let Type::Path(tp) = ty {
        if let Some(seg) = tp.path.segments.last() {
            return seg.ident == "Nested";
        }
    }
    false
}

/// Pull the first generic arg out of a `Nested<T>` type path, e.g.
/// `Nested<InnerAccounts>` → `InnerAccounts`. Returns `None` for anything
/// else. Used by the `HEADER_SIZE` codegen to walk into nested account
/// structs and sum their compile-time header counts.
pub fn extract_nested_inner_type(ty: &Type) -> Option<&Type> {
    if let Type::Path(tp) = ty {
        if let Some(seg) = tp.path.segments.last() {
            if seg.ident == "Nested" {
                if let syn::PathArguments::AngleBracketed(args) = &seg.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return Some(inner);
                    }
                }
            }
        }
    }
    None
}

/// Extracts the inner `T` from `Option<T>` for optional-account field detection.
/// Users write `pub foo: Option<Account<Bar>>` in their Accounts struct; the
/// derive constructs `None` when the client passes the program's own address
/// as the sentinel, otherwise `Some(Bar::load(view)?)`.
pub fn extract_option_inner(ty: &Type) -> Option<&Type> {
    if let Type::Path(tp) = ty {
        if let Some(seg) = tp.path.segments.last() {
            if seg.ident == "Option" {
                if let syn::PathArguments::AngleBracketed(args) = &seg.arguments {
                    if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                        return Some(inner);
                    }
                }
            }
        }
    }
    None
}

pub struct AccountField {
    pub name: Ident,
    /// The field's original `syn::Type` — used by `impl_accounts` to build
    /// the `HEADER_SIZE` compile-time sum (1 per direct field, +
    /// `<Inner as TryAccounts>::HEADER_SIZE` per `Nested<Inner>`).
    pub ty: Type,
    pub load: TokenStream2,
    pub deferred_load: Option<TokenStream2>,
    pub constraints: Vec<TokenStream2>,
    pub update: Option<TokenStream2>,
    pub exit: Option<TokenStream2>,
    pub has_bump: bool,
    /// True when the field type is `Option<T>` (optional account).
    pub is_optional: bool,
    /// Offset expression for this field within the enclosing struct's
    /// views slice (a compile-time usize). Retained so the trait-impl
    /// emitter can fold direct-mut fields into `MUT_MASK` at the right
    /// bit position and shift each `Nested<U>` child's `MUT_MASK` by
    /// this offset.
    pub offset_expr: TokenStream2,
    /// `true` iff this field contributes a `1` to the enclosing struct's
    /// `MUT_MASK`: a non-`Option<_>` mut field without `unsafe(dup)`.
    /// `Option<T>` mut fields are excluded because a `None` slot (the
    /// client sends `program_id` as the address) should still silence the
    /// dup check; the derive keeps an inline per-field `get()` inside the
    /// `Some(...)` branch for those.
    pub contributes_mut_bit: bool,
    /// `true` iff this optional field contributes to the runtime active
    /// mutable mask when it loads as `Some`.
    pub contributes_active_mut_bit: bool,
    // IDL metadata
    pub idl_writable: bool,
    /// True when this is a fresh-keypair init site (attrs: `init` or
    /// `init_if_needed` without `seeds`). The caller must sign the tx with
    /// the new account's keypair, so it surfaces as `signer: true` in the
    /// IDL. Orthogonal to the `Signer` field type — those contribute via
    /// `<Ty as IdlAccountType>::__IDL_IS_SIGNER` at runtime.
    pub idl_init_signer: bool,
    /// `has_one = target` targets declared on this field's attrs. Relations
    /// emission walks every field and looks for has_one chains targeting
    /// *another* field, so we need to keep them addressable per-source to
    /// build the inverse mapping (matches v1's `get_relations`).
    pub idl_has_one: Vec<String>,
    /// Stringified RHS of `#[account(address = <expr>)]`. Emitted verbatim
    /// as the `address` key of this field in the accounts JSON for
    /// client-resolved dotted paths like `data.authority`. `None` when the
    /// attr is absent, when the RHS was v1-encodable (see
    /// `idl_address_v1_source`), or when the RHS is resolved from a static
    /// expression at IDL-build time (see `idl_address_expr`) — in those cases
    /// the constraint is surfaced through `relations` / runtime evaluation
    /// instead. Wrapper types that carry a compile-time address via
    /// `IdlAccountType::__IDL_ADDRESS` still emit the trait value when both
    /// overrides are `None` (fields like `Program<System>`).
    pub idl_address: Option<String>,
    /// Runtime-resolved static `#[account(address = <expr>)]` override.
    /// Holds constant paths / const-fn calls that can be evaluated inside the
    /// generated `__idl_accounts()` function and rendered as base58.
    pub idl_address_expr: Option<TokenStream2>,
    /// Set when `#[account(address = <sibling>.<self_name>)]` was used,
    /// i.e. the same relationship `#[has_one = <self_name>]` on `<sibling>`
    /// would have expressed. The outer derive turns this into an inverse
    /// `relations` entry on self (mirroring what v1 emits), so clients
    /// that already handle `has_one` transparently pick up the v2 spelling.
    /// `None` for the non-v1-encodable case (RHS is a constant path, a
    /// call, or a sibling-field access whose subfield name differs from
    /// self's field name).
    pub idl_address_v1_source: Option<String>,
    /// Extracted `#[doc = "..."]` lines on the field, in source order.
    /// Emitted as `"docs":[...]` in the accounts JSON. Matches
    /// `IdlInstructionAccount.docs` (`idl/spec/src/lib.rs:83`).
    pub idl_docs: Vec<String>,
    /// Classified seed metadata for PDA emission. `None` when the field
    /// has no `seeds = [...]` attr.
    pub idl_pda: Option<IdlPdaMeta>,
    /// The raw field type, post-`Option<T>` unwrap. Used by the generated
    /// IDL dependency registration to dispatch on the wrapper type
    /// (`Program<T>`, `Account<T>`, …) rather than on its `::Data` associated
    /// type. `None` only for non-`Type::Path` fields that can't appear as
    /// accounts (defensive — this path shouldn't trigger in practice).
    pub idl_field_ty: Option<syn::Type>,
}

#[derive(Clone)]
pub struct FieldSummary {
    pub name: Ident,
    pub ty: Type,
    pub attrs: AccountAttrs,
}

fn is_static_idl_address_path(
    path: &syn::ExprPath,
    field_names: &[String],
    ix_arg_names: &[String],
) -> bool {
    if path.qself.is_some() {
        return false;
    }
    if path.path.leading_colon.is_some() || path.path.segments.len() != 1 {
        return true;
    }
    let seg = &path.path.segments[0];
    if !seg.arguments.is_empty() {
        return false;
    }
    let ident = seg.ident.to_string();
    !field_names.contains(&ident) && !ix_arg_names.contains(&ident)
}

fn static_idl_address_expr(
    expr: &Expr,
    field_names: &[String],
    ix_arg_names: &[String],
) -> Option<TokenStream2> {
    match expr {
        Expr::Group(group) => static_idl_address_expr(&group.expr, field_names, ix_arg_names),
        Expr::Paren(paren) => static_idl_address_expr(&paren.expr, field_names, ix_arg_names),
        Expr::Path(path) if is_static_idl_address_path(path, field_names, ix_arg_names) => {
            Some(quote! { #expr })
        }
        Expr::Call(call) if call.args.is_empty() => match &*call.func {
            Expr::Path(path) if is_static_idl_address_path(path, field_names, ix_arg_names) => {
                Some(quote! { #expr })
            }
            Expr::Group(group) => {
                let grouped = static_idl_address_expr(&group.expr, field_names, ix_arg_names)?;
                Some(grouped)
            }
            Expr::Paren(paren) => {
                let grouped = static_idl_address_expr(&paren.expr, field_names, ix_arg_names)?;
                Some(grouped)
            }
            _ => None,
        },
        Expr::Macro(_) => Some(quote! { #expr }),
        _ => None,
    }
}

fn dotted_address_hint(
    expr: &Expr,
    field_names: &[String],
    ix_arg_names: &[String],
) -> Option<String> {
    fn walk(
        expr: &Expr,
        field_names: &[String],
        ix_arg_names: &[String],
        suffix: &mut Vec<String>,
    ) -> bool {
        match expr {
            Expr::Field(field) => {
                let member = match &field.member {
                    syn::Member::Named(ident) => ident.to_string(),
                    syn::Member::Unnamed(_) => return false,
                };
                if !walk(&field.base, field_names, ix_arg_names, suffix) {
                    return false;
                }
                suffix.push(member);
                true
            }
            Expr::Path(path) => {
                if path.qself.is_some()
                    || path.path.leading_colon.is_some()
                    || path.path.segments.len() != 1
                {
                    return false;
                }
                let seg = &path.path.segments[0];
                if !seg.arguments.is_empty() {
                    return false;
                }
                let ident = seg.ident.to_string();
                if field_names.contains(&ident) || ix_arg_names.contains(&ident) {
                    suffix.push(ident);
                    true
                } else {
                    false
                }
            }
            Expr::Group(group) => walk(&group.expr, field_names, ix_arg_names, suffix),
            Expr::Paren(paren) => walk(&paren.expr, field_names, ix_arg_names, suffix),
            _ => false,
        }
    }

    let mut segments = Vec::new();
    if walk(expr, field_names, ix_arg_names, &mut segments) && segments.len() >= 2 {
        Some(segments.join("."))
    } else {
        None
    }
}

fn require_summary_field<'a>(
    fields: &'a [FieldSummary],
    name: &Ident,
    target: &FieldSummary,
    purpose: &str,
    required: bool,
) -> syn::Result<&'a FieldSummary> {
    let field = fields
        .iter()
        .find(|field| field.name == *name)
        .ok_or_else(|| {
            syn::Error::new(
                name.span(),
                format!("the {purpose} account `{name}` does not exist"),
            )
        })?;
    if required && extract_option_inner(&field.ty).is_some() {
        return Err(syn::Error::new(
            target.name.span(),
            format!("the {purpose} account `{name}` must be non-optional"),
        ));
    }
    Ok(field)
}

pub fn validate_account_fields(fields: &[FieldSummary]) -> syn::Result<()> {
    let field_names: Vec<String> = fields.iter().map(|field| field.name.to_string()).collect();

    for target in fields {
        let attrs = &target.attrs;
        let required = extract_option_inner(&target.ty).is_none();

        if attrs.is_init || attrs.is_init_if_needed {
            let payer = attrs
                .payer
                .as_ref()
                .expect("init payer is validated while parsing account attributes");
            let payer_field = require_summary_field(fields, payer, target, "init payer", false)?;
            if extract_option_inner(&payer_field.ty).is_some() {
                return Err(syn::Error::new(
                    payer_field.name.span(),
                    "optional accounts cannot be used as init payers",
                ));
            }
            if !payer_field.attrs.is_mut {
                return Err(syn::Error::new(
                    target.name.span(),
                    "the payer specified for an init constraint must be mutable",
                ));
            }

            let system_program = Ident::new("system_program", proc_macro2::Span::call_site());
            require_summary_field(fields, &system_program, target, "init program", required)?;

            let spl_constraints: Vec<_> = attrs
                .namespaced
                .iter()
                .filter(|constraint| {
                    !constraint.is_update
                        && matches!(
                            constraint.namespace.as_str(),
                            "token" | "mint" | "associated_token"
                        )
                })
                .collect();
            if !spl_constraints.is_empty() {
                let mut token_program_constraints = spl_constraints
                    .iter()
                    .filter(|constraint| constraint.raw_key == "token_program")
                    .peekable();
                if token_program_constraints.peek().is_none() {
                    let token_program = Ident::new("token_program", proc_macro2::Span::call_site());
                    require_summary_field(
                        fields,
                        &token_program,
                        target,
                        "SPL token program",
                        required,
                    )?;
                } else {
                    for constraint in token_program_constraints {
                        let token_program =
                            expr_as_known_field_ident(&constraint.value, &field_names).ok_or_else(
                                || {
                                    syn::Error::new(
                                        constraint.value.span(),
                                        format!(
                                            "SPL init constraint `{}::{}` needs an AccountView, \
                                             not a pubkey. Use a sibling account field of your \
                                             Accounts struct instead of a const or field access",
                                            constraint.namespace, constraint.raw_key
                                        ),
                                    )
                                },
                            )?;
                        require_summary_field(
                            fields,
                            &token_program,
                            target,
                            "SPL token program",
                            required,
                        )?;
                    }
                }
            }

            for constraint in spl_constraints.iter().filter(|constraint| {
                constraint.raw_key == "mint"
                    && matches!(constraint.namespace.as_str(), "token" | "associated_token")
            }) {
                let mint = expr_as_known_field_ident(&constraint.value, &field_names).ok_or_else(
                    || {
                        syn::Error::new(
                            constraint.value.span(),
                            format!(
                                "SPL init constraint `{}::{}` needs an AccountView, not a pubkey. \
                                 Use a sibling account field of your Accounts struct instead of a \
                                 const or field access",
                                constraint.namespace, constraint.raw_key
                            ),
                        )
                    },
                )?;
                require_summary_field(fields, &mint, target, "token mint", false)?;
            }

            if spl_constraints
                .iter()
                .any(|constraint| constraint.namespace == "associated_token")
            {
                let associated_token_program =
                    Ident::new("associated_token_program", proc_macro2::Span::call_site());
                require_summary_field(
                    fields,
                    &associated_token_program,
                    target,
                    "associated token program",
                    required,
                )?;
            }
        }

        if attrs.realloc.is_some() {
            let payer = attrs
                .realloc_payer
                .as_ref()
                .expect("realloc payer is validated while parsing account attributes");
            let payer_field = require_summary_field(fields, payer, target, "realloc payer", false)?;
            if extract_option_inner(&payer_field.ty).is_some() {
                return Err(syn::Error::new(
                    payer_field.name.span(),
                    "optional accounts cannot be used as realloc payers",
                ));
            }
            if !payer_field.attrs.is_mut {
                return Err(syn::Error::new(
                    target.name.span(),
                    "the payer specified for a realloc constraint must be mutable",
                ));
            }
        }
    }

    Ok(())
}

pub fn bump_cache_ident(field_name: &Ident) -> Ident {
    Ident::new(
        &format!("__anchor_bump_cache_{}", field_name.unraw()),
        field_name.span(),
    )
}

/// Turn the RHS of `#[account(address = <expr>)]` into the string form the
/// IDL emits. Whitespace from `quote!`'s token reassembly is stripped so
/// `crate :: ID` → `crate::ID`, `data . authority` → `data.authority`, and
/// `crate :: id ()` → `crate::id()` — matching what a user would hand-write
/// and what downstream tooling (the Anchor CLI resolver, TS client path
/// walkers) expect to parse.
fn stringify_address_expr(expr: &Expr) -> String {
    let s = quote!(#expr).to_string();
    s.split_whitespace().collect()
}

/// If `expr` is the v1-encodable shape `<sibling>.<field>` where both:
///   - `<sibling>` is a sibling field name, and
///   - `<field>` matches `self_name` (the field carrying this constraint),
/// returns `Some(<sibling>)`. Otherwise `None`.
///
/// This is exactly the constraint v1 expressed as
/// `#[has_one = <self_name>]` on `<sibling>`. Matching the shape lets the
/// derive emit the same IDL (`relations: [...]` on self) for both
/// spellings, so tooling that already understands v1 has_one output
/// keeps working unchanged.
fn address_v1_relation_source(
    expr: &Expr,
    self_name: &str,
    field_names: &[String],
) -> Option<String> {
    let fa = if let Expr::Field(fa) = expr {
        fa
    } else {
        return None;
    };
    // Subfield must match self's ident, or v1 has_one couldn't express it.
    let subfield = match &fa.member {
        syn::Member::Named(ident) if ident == self_name => ident,
        _ => return None,
    };
    let _ = subfield; // silence unused — we only needed it for the match guard
                      // Base must be a bare sibling ident (not a method call, not a path).
    let base = if let Expr::Path(ep) = &*fa.base {
        ep
    } else {
        return None;
    };
    if base.qself.is_some() || base.path.leading_colon.is_some() || base.path.segments.len() != 1 {
        return None;
    }
    let seg = &base.path.segments[0];
    if !seg.arguments.is_empty() {
        return None;
    }
    let sibling = seg.ident.to_string();
    field_names.contains(&sibling).then_some(sibling)
}

/// Returns an error when any seed in `seeds` is a bare identifier that names
/// an `Option<_>`-typed sibling field. Optional accounts carry no `.address()`
/// method, so the generated `<sibling>.address()` call would not compile;
/// surfacing a clear diagnostic here beats a type-error inside the generated
/// expansion.
fn reject_optional_sibling_seeds(
    seeds: &[&Expr],
    field_summaries: &[FieldSummary],
) -> syn::Result<()> {
    for seed in seeds {
        let Expr::Path(ep) = seed else { continue };
        if ep.qself.is_some()
            || ep.path.leading_colon.is_some()
            || ep.path.segments.len() != 1
        {
            continue;
        }
        let seg = &ep.path.segments[0];
        if !seg.arguments.is_empty() {
            continue;
        }
        let ident = &seg.ident;
        if field_summaries
            .iter()
            .any(|s| s.name == *ident && extract_option_inner(&s.ty).is_some())
        {
            return Err(syn::Error::new(
                ident.span(),
                "optional account fields cannot be used as PDA seeds; \
                 use a non-optional account for seed derivation",
            ));
        }
    }
    Ok(())
}

/// Rewrite a single seed expression so that a bare field-name identifier
/// (like `wallet` in `seeds = [b"vault", wallet]`) is replaced with the
/// explicit address accessor `wallet.address()`.
///
/// Strict: only rewrites simple single-segment `Expr::Path` expressions
/// whose identifier matches a known field name. Everything else
/// (literals, method calls, array refs, complex expressions) passes
/// through unchanged so users can still write explicit seed expressions.
fn rewrite_seed_value_expr(expr: &Expr, field_names: &[String]) -> proc_macro2::TokenStream {
    use quote::quote;
    if let Expr::Path(ep) = expr {
        if ep.qself.is_none() && ep.path.segments.len() == 1 && ep.path.leading_colon.is_none() {
            let seg = &ep.path.segments[0];
            if seg.arguments.is_empty() {
                let ident = &seg.ident;
                if field_names.contains(&ident.to_string()) {
                    return quote! { #ident.address() };
                }
            }
        }
    }
    quote! { #expr }
}

fn materialize_seed_refs(
    seeds: &[&Expr],
    field_names: &[String],
) -> (Vec<TokenStream2>, Vec<TokenStream2>) {
    let mut bindings = Vec::with_capacity(seeds.len());
    let mut refs = Vec::with_capacity(seeds.len());
    for (idx, seed) in seeds.iter().enumerate() {
        let value = rewrite_seed_value_expr(seed, field_names);
        let value_ident = Ident::new(
            &format!("__seed_{}_value", idx),
            proc_macro2::Span::call_site(),
        );
        let ref_ident = Ident::new(
            &format!("__seed_{}_ref", idx),
            proc_macro2::Span::call_site(),
        );
        bindings.push(quote! {
            let #value_ident = #value;
            let #ref_ident: &[u8] = #value_ident.as_ref();
        });
        refs.push(quote! { #ref_ident });
    }
    (bindings, refs)
}

/// Build the seed-check codegen for a `#[account(seeds = [..], bump)]`
/// field. Tries to precompute the canonical PDA bump at macro-expansion
/// time when all seeds are byte literals and the crate's program id can
/// be discovered from `src/lib.rs`, emitting `verify_program_address`
/// in place of the runtime `find_program_address` loop.
///
/// Falls back to the dynamic path whenever:
///   - any seed is non-literal (field reference, method call, expr),
///   - `seeds::program = expr` overrides the derivation program id, or
///   - program-id discovery fails for any reason (missing lib.rs,
///     parse error, no `declare_id!` macro, malformed argument).
///
/// `target_addr_ref` must be a TokenStream producing `&Address` for the
/// account whose address we're verifying: `__target.address()` inside
/// the `init` arm, `<field>.account().address()` for non-init
/// constraints.
///
/// `for_init = true` additionally emits the `let __seeds: Option<&[&[u8]]> = Some(...)`
/// binding in the enclosing scope, as required by the init arm's
/// subsequent `create_and_initialize` call.
///
/// `using_our_program_id = false` (i.e. `seeds::program = ...` is set)
/// unconditionally falls back to the dynamic path, since we only know
/// how to discover our own crate's `declare_id!`.
#[allow(clippy::too_many_arguments)]
fn emit_seeds_check(
    seeds: &[&Expr],
    field_names: &[String],
    pda_program: &TokenStream2,
    target_addr_ref: &TokenStream2,
    field_name: &Ident,
    for_init: bool,
    using_our_program_id: bool,
    is_optional: bool,
) -> TokenStream2 {
    let bump_cache = bump_cache_ident(field_name);
    let (seed_bindings, seed_refs) = materialize_seed_refs(seeds, field_names);
    // For optional fields the bumps struct field is `Option<u8>`, so the
    // assignment wraps in `Some(...)`. Non-optional fields assign the bump
    // directly.
    let wrap_bump = |b: TokenStream2| -> TokenStream2 {
        if is_optional {
            quote! { Some(#b) }
        } else {
            b
        }
    };
    // Try to precompute the bump and PDA at expansion time.
    if using_our_program_id {
        if let Some(literal_seeds) = seeds_as_byte_literals(seeds) {
            if let Some(program_id) = discover_program_id() {
                let seed_slices: Vec<&[u8]> = literal_seeds.iter().map(|s| s.as_slice()).collect();
                if let Some((bump, pda_bytes)) = precompute_pda(&seed_slices, &program_id) {
                    // Field-scoped const names keep multiple fields'
                    // bumps + PDAs from colliding, even when two
                    // constraints share an outer scope.
                    let upper = field_name.to_string().to_uppercase();
                    let bump_const = Ident::new(&format!("__{}_BUMP", upper), field_name.span());
                    let pda_const = Ident::new(&format!("__{}_PDA", upper), field_name.span());
                    // Emit the 32-byte PDA as an `Address` const.
                    let pda_bytes_tokens = pda_bytes.iter().map(|b| quote! { #b });
                    let bump_assign = wrap_bump(quote! { #bump_const });
                    let check = quote! {
                        const #bump_const: u8 = #bump;
                        const #pda_const: anchor_lang::Address =
                            anchor_lang::Address::new_from_array([#(#pda_bytes_tokens),*]);
                        if !anchor_lang::address_eq(#target_addr_ref, &#pda_const) {
                            return Err(anchor_lang::ErrorCode::ConstraintSeeds.into());
                        }
                        #bump_cache = #bump_assign;
                    };
                    return if for_init {
                        quote! {
                            #check
                            #(#seed_bindings)*
                            let __bump_seed = [#bump_const];
                            let __seeds: Option<&[&[u8]]> =
                                Some(&[#(#seed_refs,)* __bump_seed.as_ref()]);
                        }
                    } else {
                        // Wrap non-init in a block so the consts are
                        // scoped and can't collide with other fields.
                        quote! { { #check } }
                    };
                }
            }
        }
    }

    // Fallback: runtime find loop fused with the equality check.
    //
    // Skip `sol_curve_validate_point` when the account is provably
    // signed-for (`MIN_DATA_LEN > 0`), since account creation already
    // validates the PDA via `create_program_address`.
    //
    // Otherwise (`UncheckedAccount` with zero data, non-init): the curve
    // check is the only proof the address is a real PDA.
    //
    // `MIN_DATA_LEN` is a trait const, so the branch is resolved at
    // compile time — LLVM eliminates the dead path entirely.
    // TODO: decide whether init paths should assume the subsequent
    // CreateAccount CPI guarantees the address is off-curve, letting
    // us skip `sol_curve_validate_point`. Currently we always run the
    // curve check on init to avoid relying on the trait impl's CPI.
    let skip_curve = quote! { false };
    let bump_assign = wrap_bump(quote! { __bump });
    let find = quote! {
        #(#seed_bindings)*
        let __bump = if #skip_curve {
            anchor_lang::find_and_verify_program_address_skip_curve(
                &[#(#seed_refs),*], #pda_program, #target_addr_ref,
            ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?
        } else {
            anchor_lang::find_and_verify_program_address(
                &[#(#seed_refs),*], #pda_program, #target_addr_ref,
            ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?
        };
        #bump_cache = #bump_assign;
    };
    if for_init {
        quote! {
            #find
            let __bump_seed = [__bump];
            let __seeds: Option<&[&[u8]]> =
                Some(&[#(#seed_refs,)* __bump_seed.as_ref()]);
        }
    } else {
        find
    }
}

/// Emit the shared init body used by both `#[account(init)]` and
/// `#[account(init_if_needed)]`: seeds check, param assignments,
/// `create_and_initialize`, and `load_mut_after_init`.
fn emit_payer_signer_seeds_binding(
    payer: &Ident,
    field_names: &[String],
    field_summaries: &[FieldSummary],
) -> syn::Result<TokenStream2> {
    let Some(payer_field) = field_summaries.iter().find(|field| field.name == *payer) else {
        return Err(syn::Error::new(
            payer.span(),
            "the payer specified for an init constraint does not exist",
        ));
    };

    let Some(seeds_expr) = payer_field.attrs.seeds.as_ref() else {
        return Ok(quote! { let __payer_signer_seeds: Option<&[&[u8]]> = None; });
    };

    if extract_option_inner(&payer_field.ty).is_some() {
        return Err(syn::Error::new(
            payer_field.name.span(),
            "optional accounts cannot be used as init payers",
        ));
    }

    if field_ty_str(&payer_field.ty) != "SystemAccount" {
        return Err(syn::Error::new(
            payer_field.name.span(),
            "PDA init payers must be declared as `SystemAccount`",
        ));
    }

    if payer_field.attrs.seeds_program.is_some() {
        return Err(syn::Error::new(
            payer_field.name.span(),
            "PDA init payers cannot use `seeds::program`",
        ));
    }

    let bump_field = &payer_field.name;
    let bump_cache = bump_cache_ident(bump_field);
    if let Expr::Array(arr) = seeds_expr {
        let seed_elems: Vec<&Expr> = arr.elems.iter().collect();
        reject_optional_sibling_seeds(&seed_elems, field_summaries)?;
        let (seed_bindings, seed_refs) = materialize_seed_refs(&seed_elems, field_names);
        let seed_count = seed_refs.len();
        if let Some(Some(ref bump_expr)) = payer_field.attrs.bump {
            return Ok(quote! {
                #(#seed_bindings)*
                if #seed_count > anchor_lang::MAX_PAYER_SEEDS {
                    return Err(anchor_lang::ErrorCode::ConstraintSeeds.into());
                }
                let __payer_bump: u8 = #bump_expr;
                anchor_lang::verify_program_address(
                    &[#(#seed_refs,)* &[__payer_bump]],
                    __program_id,
                    __payer.address(),
                )?;
                #bump_cache = __payer_bump;
                let __payer_bump_seed = [__payer_bump];
                let __payer_signer_seeds: Option<&[&[u8]]> =
                    Some(&[#(#seed_refs,)* __payer_bump_seed.as_ref()]);
            });
        }

        return Ok(quote! {
            #(#seed_bindings)*
            if #seed_count > anchor_lang::MAX_PAYER_SEEDS {
                return Err(anchor_lang::ErrorCode::ConstraintSeeds.into());
            }
            let __payer_bump =
                anchor_lang::find_and_verify_program_address(
                    &[#(#seed_refs),*], __program_id, __payer.address(),
                ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?;
            #bump_cache = __payer_bump;
            let __payer_bump_seed = [__payer_bump];
            let __payer_signer_seeds: Option<&[&[u8]]> =
                Some(&[#(#seed_refs,)* __payer_bump_seed.as_ref()]);
        });
    }

    if let Some(Some(ref bump_expr)) = payer_field.attrs.bump {
        return Ok(quote! {
            let __payer_seed_expr_val = #seeds_expr;
            let __payer_seed_ref: &[&[u8]] = __payer_seed_expr_val.as_ref();
            if __payer_seed_ref.len() > anchor_lang::MAX_PAYER_SEEDS {
                return Err(anchor_lang::ErrorCode::ConstraintSeeds.into());
            }
            let __payer_bump: u8 = #bump_expr;
            let __payer_bump_bytes = [__payer_bump];
            let mut __payer_seed_buf: [&[u8]; anchor_lang::MAX_PAYER_SEEDS_WITH_BUMP] =
                [&[]; anchor_lang::MAX_PAYER_SEEDS_WITH_BUMP];
            let __payer_seed_count = __payer_seed_ref.len();
            __payer_seed_buf[..__payer_seed_count].copy_from_slice(__payer_seed_ref);
            __payer_seed_buf[__payer_seed_count] = &__payer_bump_bytes;
            anchor_lang::verify_program_address(
                &__payer_seed_buf[..__payer_seed_count + 1],
                __program_id,
                __payer.address(),
            )?;
            #bump_cache = __payer_bump;
            let __payer_signer_seeds: Option<&[&[u8]]> =
                Some(&__payer_seed_buf[..__payer_seed_count + 1]);
        });
    }

    Ok(quote! {
        let __payer_seed_expr_val = #seeds_expr;
        let __payer_seed_ref: &[&[u8]] = __payer_seed_expr_val.as_ref();
        let __payer_bump =
            anchor_lang::find_and_verify_program_address(
                __payer_seed_ref, __program_id, __payer.address(),
            ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?;
        #bump_cache = __payer_bump;
        let __payer_bump_bytes = [__payer_bump];
        let mut __payer_seed_buf: [&[u8]; anchor_lang::MAX_PAYER_SEEDS_WITH_BUMP] =
            [&[]; anchor_lang::MAX_PAYER_SEEDS_WITH_BUMP];
        let __payer_seed_count = __payer_seed_ref.len();
        __payer_seed_buf[..__payer_seed_count].copy_from_slice(__payer_seed_ref);
        __payer_seed_buf[__payer_seed_count] = &__payer_bump_bytes;
        let __payer_signer_seeds: Option<&[&[u8]]> =
            Some(&__payer_seed_buf[..__payer_seed_count + 1]);
    })
}

fn emit_init_body(
    field_name: &Ident,
    field_ty: &Type,
    attrs: &AccountAttrs,
    field_names: &[String],
    field_summaries: &[FieldSummary],
    is_optional: bool,
) -> syn::Result<TokenStream2> {
    let payer = attrs.payer.as_ref().ok_or_else(|| {
        syn::Error::new(
            attrs
                .init_span
                .or(attrs.init_if_needed_span)
                .unwrap_or_else(|| field_name.span()),
            if attrs.is_init {
                "`init` requires `payer = <target>`"
            } else {
                "`init_if_needed` requires `payer = <target>`"
            },
        )
    })?;
    let space = init_space_expr(field_ty, attrs);
    let owner = match attrs.owner.as_ref() {
        Some(expr) => quote! { #expr },
        None => quote! { *__program_id },
    };
    let owner_check = attrs.owner.as_ref().map(|_| {
        quote! {
            fn __anchor_assert_foreign_owner_init<
                T: anchor_lang::ForeignOwnerInit,
            >() {}
            __anchor_assert_foreign_owner_init::<#field_ty>();
        }
    });

    // Init params come from namespaced constraints that name init-time
    // inputs (e.g. `mint::authority = x`). Runtime-only constraints —
    // currently any constraint whose Params type has no matching field —
    // would fail to typecheck if threaded here. We filter out the ones
    // we know are runtime-only before collecting param assignments.
    let param_assignments: Vec<_> = attrs
        .namespaced
        .iter()
        .filter(|nc| !nc.is_update && !is_runtime_only_constraint_ns(&nc.namespace))
        .map(|nc| {
            let key = Ident::new(&nc.raw_key, proc_macro2::Span::call_site());
            let value = &nc.value;
            match builtin_init_param_value_kind(&nc.namespace, &nc.raw_key) {
                Some(BuiltinInitParamValueKind::AccountView) => {
                    if let Some(field_ident) = expr_as_known_field_ident(value, field_names) {
                        if field_is_optional(field_summaries, &field_ident) {
                            quote! {
                                __p.#key = Some(match (#value).as_ref() {
                                    Some(__anchor_account) => __anchor_account.account(),
                                    None => {
                                        return Err(
                                            anchor_lang::ErrorCode::ConstraintAccountIsNone
                                                .into(),
                                        );
                                    }
                                });
                            }
                        } else {
                            quote! {
                                __p.#key = Some(#value.account());
                            }
                        }
                    } else {
                        quote! {
                            __p.#key = Some(#value.account());
                        }
                    }
                }
                Some(BuiltinInitParamValueKind::Direct) | None => {
                    quote! { __p.#key = Some(#value); }
                }
            }
        })
        .collect();

    let payer_signer_seeds = emit_payer_signer_seeds_binding(payer, field_names, field_summaries)?;

    let seeds_arg = if let Some(ref seeds_expr) = attrs.seeds {
        let using_our_program_id = attrs.seeds_program.is_none();
        let pda_program = match &attrs.seeds_program {
            Some(prog) => quote! { &#prog },
            None => quote! { __program_id },
        };
        if let Expr::Array(arr) = seeds_expr {
            let seed_elems: Vec<&Expr> = arr.elems.iter().collect();
            reject_optional_sibling_seeds(&seed_elems, field_summaries)?;
            emit_seeds_check(
                &seed_elems,
                field_names,
                &pda_program,
                &quote! { __target.address() },
                field_name,
                true,
                using_our_program_id,
                is_optional,
            )
        } else {
            // Opaque expression seeds — runtime find + verify.
            let bump_assign = if is_optional {
                quote! { Some(__bump) }
            } else {
                quote! { __bump }
            };
            let bump_cache = bump_cache_ident(field_name);
            quote! {
                let __seed_expr_val = #seeds_expr;
                let __seed_ref: &[&[u8]] = __seed_expr_val.as_ref();
                let __bump =
                    anchor_lang::find_and_verify_program_address(
                        __seed_ref, #pda_program, &__target.address(),
                    ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?;
                #bump_cache = #bump_assign;
                let __bump_bytes = [__bump];
                let mut __seed_buf: [&[u8]; 17] = [&[]; 17];
                let __n = __seed_ref.len();
                __seed_buf[..__n].copy_from_slice(__seed_ref);
                __seed_buf[__n] = &__bump_bytes;
                let __seeds: Option<&[&[u8]]> = Some(&__seed_buf[..__n + 1]);
            }
        }
    } else {
        quote! { let __seeds: Option<&[&[u8]]> = None; }
    };

    Ok(quote! {
        let __payer = #payer.account();
        #payer_signer_seeds
        #seeds_arg
        #owner_check
        let __owner = #owner;
        let __init_params = {
            type __P<'__a> = <#field_ty as anchor_lang::AccountInitialize>::Params<'__a>;
            let mut __p = <__P as Default>::default();
            #(#param_assignments)*
            __p
        };
        <#field_ty as anchor_lang::AccountInitialize>::create_and_initialize(
            __payer, &__target, #space, &__owner, &__init_params, __seeds, __payer_signer_seeds,
        )?
    })
}

fn init_space_expr(field_ty: &Type, attrs: &AccountAttrs) -> TokenStream2 {
    // Fall back to `<T as Space>::INIT_SPACE` when `space` is omitted.
    // SPL types (Mint, TokenAccount) impl Space = size_of<Self>() so
    // `#[account(init, token::mint = ..., token::authority = ...)]` works
    // without hardcoding magic numbers like `space = 165`.
    match attrs.space.as_ref() {
        Some(expr) => quote! { #expr },
        None => quote! { <#field_ty as anchor_lang::Space>::INIT_SPACE },
    }
}

fn emit_associated_token_init_body(
    field_ty: &Type,
    attrs: &AccountAttrs,
    associated_token: &AssociatedTokenInit,
    field_offsets: &[(String, TokenStream2)],
    field_names: &[String],
    field_summaries: &[FieldSummary],
    _is_optional: bool,
) -> syn::Result<TokenStream2> {
    let payer = attrs.payer.as_ref().expect("init requires payer");
    let payer_offset = field_offset_expr(field_offsets, payer)?;
    let mint_offset = field_offset_expr(field_offsets, &associated_token.mint)?;
    let authority_offset = field_offset_expr(field_offsets, &associated_token.authority)?;
    let token_program_offset = field_offset_expr(field_offsets, &associated_token.token_program)?;
    let system_program = Ident::new("system_program", proc_macro2::Span::call_site());
    let associated_token_program =
        Ident::new("associated_token_program", proc_macro2::Span::call_site());
    let system_program_offset = field_offset_expr(field_offsets, &system_program)?;
    let associated_token_program_offset =
        field_offset_expr(field_offsets, &associated_token_program)?;
    let authority_handle = field_readonly_cpi_handle_expr(
        field_summaries,
        &associated_token.authority,
        quote! { __authority.account() },
    )?;
    let mint_handle = field_readonly_cpi_handle_expr(
        field_summaries,
        &associated_token.mint,
        quote! { __mint.account() },
    )?;
    let token_program_handle = field_readonly_cpi_handle_expr(
        field_summaries,
        &associated_token.token_program,
        quote! { __token_program.account() },
    )?;
    let system_program_handle = field_readonly_cpi_handle_expr(
        field_summaries,
        &system_program,
        quote! { __system_program.account() },
    )?;
    let payer_signer_seeds = emit_payer_signer_seeds_binding(payer, field_names, field_summaries)?;

    Ok(quote! {
        {
            let mut __payer_account =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#payer_offset])?;
            let __payer = __payer_account.account();
            #payer_signer_seeds
            let mut __associated_token =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__target)?;
            let __authority =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#authority_offset])?;
            let __mint =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#mint_offset])?;
            let __system_program =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#system_program_offset])?;
            let __token_program =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#token_program_offset])?;
            let __associated_token_program =
                <anchor_lang::accounts::UncheckedAccount as anchor_lang::AnchorAccount>
                    ::load(__views[#associated_token_program_offset])?;

            if !anchor_lang::address_eq(
                __system_program.account().address(),
                &<anchor_lang::programs::System as anchor_lang::Id>::id(),
            ) {
                return Err(anchor_lang::ErrorCode::ConstraintAddress.into());
            }
            if !anchor_lang::address_eq(
                __associated_token_program.account().address(),
                &<anchor_lang::programs::AssociatedToken as anchor_lang::Id>::id(),
            ) {
                return Err(anchor_lang::ErrorCode::ConstraintAddress.into());
            }
            let __create_accounts = anchor_spl::associated_token::Create {
                payer: __payer_account.cpi_handle_mut(),
                associated_token: __associated_token.cpi_handle_mut(),
                authority: #authority_handle,
                mint: #mint_handle,
                system_program: #system_program_handle,
                token_program: #token_program_handle,
            };
            match __payer_signer_seeds {
                Some(__payer_signer) => {
                    anchor_spl::associated_token::create(
                        anchor_lang::CpiContext::new_with_signer(
                            __associated_token_program.account().address(),
                            __create_accounts,
                            &[__payer_signer],
                        ),
                    )?;
                }
                None => {
                    anchor_spl::associated_token::create(anchor_lang::CpiContext::new(
                        __associated_token_program.account().address(),
                        __create_accounts,
                    ))?;
                }
            }

            // SAFETY: this field has just been initialized by the associated
            // token program, and duplicate mutable accounts are rejected by
            // the generated account bitvec check. ATA init is performed by
            // external programs selected at runtime, so run the field type's
            // full validation after the CPI.
            unsafe { <#field_ty as anchor_lang::AnchorAccount>::load_mut(__target)? }
        }
    })
}

fn has_namespaced_constraint(attrs: &AccountAttrs, namespace: &str, key: Option<&str>) -> bool {
    attrs.namespaced.iter().any(|nc| {
        nc.namespace == namespace && key.is_none_or(|expected_key| nc.raw_key == expected_key)
    })
}

fn emit_init_if_needed_signer_check(
    attrs: &AccountAttrs,
    associated_token: Option<&AssociatedTokenInit>,
) -> TokenStream2 {
    if attrs.seeds.is_none() && !attrs.is_signer && associated_token.is_none() {
        quote! {
            if !__target.is_signer() {
                return Err(anchor_lang::ErrorCode::ConstraintSigner.into());
            }
        }
    } else {
        quote! {}
    }
}

fn emit_init_if_needed_reuse_validation(
    field_ty: &Type,
    attrs: &AccountAttrs,
    associated_token: Option<&AssociatedTokenInit>,
) -> syn::Result<TokenStream2> {
    let has_mint_constraints = has_namespaced_constraint(attrs, "mint", None);
    let has_token_constraints = has_namespaced_constraint(attrs, "token", None);
    let needs_generic_reuse_validation =
        associated_token.is_none() && !has_mint_constraints && !has_token_constraints;
    let signer_check = emit_init_if_needed_signer_check(attrs, associated_token);
    if !needs_generic_reuse_validation {
        return Ok(signer_check);
    }

    let space = match attrs.space.as_ref() {
        Some(expr) => quote! { #expr },
        None => quote! { <#field_ty as anchor_lang::Space>::INIT_SPACE },
    };
    let owner = if let Some(expr) = attrs.owner.as_ref() {
        quote! { #expr }
    } else {
        quote! { *__program_id }
    };

    Ok(quote! {
        let __expected_space = #space;
        #signer_check
        if __target.data_len() != __expected_space {
            return Err(anchor_lang::ErrorCode::ConstraintSpace.into());
        }
        let __expected_owner = #owner;
        if !__target.owned_by(&__expected_owner) {
            return Err(anchor_lang::ErrorCode::ConstraintOwner.into());
        }
        let __required_lamports = anchor_lang::cpi::rent_exempt_lamports(__expected_space)?;
        if __target.lamports() < __required_lamports {
            return Err(anchor_lang::ErrorCode::ConstraintRentExempt.into());
        }
    })
}

pub fn parse_field(
    field: &syn::Field,
    attrs: &AccountAttrs,
    field_names: &[String],
    field_offsets: &[(String, TokenStream2)],
    offset_expr: proc_macro2::TokenStream,
    ix_arg_names: &[String],
    field_summaries: &[FieldSummary],
) -> syn::Result<AccountField> {
    let field_name = field.ident.as_ref().expect("named field");
    let field_ty = &field.ty;
    validate_init_constraint_refs(field_name, attrs, field_names, field_summaries)?;
    if attrs.close.is_some() && !attrs.is_mut {
        return Err(syn::Error::new(
            field_name.span(),
            "mut must be provided when using close",
        ));
    }
    let option_inner = extract_option_inner(field_ty);
    let associated_token = parse_associated_token_init(&attrs, field_names)?;
    validate_associated_token_init_refs(&attrs, associated_token.as_ref(), field_summaries)?;
    let init_if_needed_reuse_validation = if attrs.is_init_if_needed {
        Some(emit_init_if_needed_reuse_validation(
            option_inner.unwrap_or(field_ty),
            &attrs,
            associated_token.as_ref(),
        )?)
    } else {
        None
    };
    let is_optional = option_inner.is_some();
    // Explicit signer constraint or fresh-keypair init (no seeds) — caller
    // signs the tx. Distinct from `Signer`-type fields, which the IDL picks
    // up through `IdlAccountType::__IDL_IS_SIGNER` at runtime.
    let idl_init_signer = attrs.is_signer
        || ((attrs.is_init || attrs.is_init_if_needed)
            && attrs.seeds.is_none()
            && associated_token.is_none());
    let idl_writable = attrs.is_mut;
    let idl_has_one: Vec<String> = attrs
        .has_one
        .iter()
        .map(|(_, i, _)| i.to_string())
        .collect();
    // Classify the `#[account(address = <expr>)]` RHS for IDL emission:
    //
    //   * `<sibling>.<self_name>` — v1-encodable as `has_one = <self_name>`
    //     on `<sibling>`. Surface as a `relations` entry so tooling that
    //     already speaks v1 output sees the same shape for both spellings.
    //     `idl_address` stays `None` to avoid double-encoding the same
    //     check.
    //   * Constant path / const-fn call / address! macro — evaluate at
    //     IDL-build time and emit the resolved base58 address.
    //   * Other dotted field paths — keep as client-side resolution hints.
    //   * Anything else — omit from the IDL rather than emitting raw Rust
    //     source that clients cannot resolve faithfully.
    let (idl_address, idl_address_expr, idl_address_v1_source) = match attrs.address.as_ref() {
        Some(addr) => {
            match address_v1_relation_source(addr, &field_name.to_string(), field_names) {
                Some(sibling) => (None, None, Some(sibling)),
                None => {
                    if let Some(expr) = static_idl_address_expr(addr, field_names, ix_arg_names) {
                        (None, Some(expr), None)
                    } else if let Some(hint) = dotted_address_hint(addr, field_names, ix_arg_names)
                    {
                        (Some(hint), None, None)
                    } else {
                        (None, None, None)
                    }
                }
            }
        }
        None => (None, None, None),
    };
    let idl_docs = crate::idl::extract_doc_lines(&field.attrs);
    let idl_pda = attrs.seeds.as_ref().and_then(|seeds_expr| {
        let seeds = crate::idl::classify_seed_list(seeds_expr, field_names, ix_arg_names)?;
        let program = match attrs.seeds_program.as_ref() {
            Some(program_expr) => Some(crate::idl::classify_program_seed(
                program_expr,
                field_names,
                ix_arg_names,
            )?),
            None => None,
        };
        Some(IdlPdaMeta { seeds, program })
    });
    let idl_field_ty: Option<syn::Type> = {
        let base_ty = option_inner.unwrap_or(field_ty);
        if let Type::Path(_) = base_ty {
            Some(base_ty.clone())
        } else {
            None
        }
    };

    let has_bump = attrs.seeds.is_some();
    let init_if_needed_existed = attrs.is_init_if_needed.then(|| {
        Ident::new(
            &format!("__anchor_{}_existed", field_name),
            proc_macro2::Span::call_site(),
        )
    });

    // --- Load ---
    if is_nested_type(field_ty) {
        if field
            .attrs
            .iter()
            .any(|attr| attr.path().is_ident("account"))
        {
            return Err(syn::Error::new(
                field_name.span(),
                "`#[account(...)]` attributes are not supported on `Nested<T>` fields; put \
                 constraints on the fields inside the nested `Accounts` struct",
            ));
        }

        let inner_ty = extract_nested_inner_type(field_ty)
            .expect("is_nested_type was true but extract_nested_inner_type returned None");
        let nested_bumps = bump_cache_ident(field_name);
        let assert_no_nested_ix_args = Ident::new(
            &format!("__anchor_assert_no_nested_ix_args_{field_name}"),
            field_name.span(),
        );
        // Nested<Inner> — delegate to Inner::validate_accounts, which advances
        // the shared cursor by Inner::HEADER_SIZE without firing inner
        // update-hooks yet. The outer walk_n covers only direct
        // (non-nested) fields; the nested validate_accounts picks up where
        // the outer left off, and the outer update phase later calls
        // Inner::update_accounts exactly once.
        //
        // Constraint processing and exit are handled by the inner struct's own
        // validate_accounts / exit_accounts — the outer derives don't need to
        // re-check them.
        // TODO: passing `__base_offset + #offset_expr` means the nested
        // struct's bitvec lookups hit the correct global indices. This is
        // correct but adds a runtime addition per dup-check inside the
        // nested struct. A future optimization could pre-shift the bitvec
        // or use a wrapper that offsets transparently.
        let load = quote! {
            let (__nested_inner, #nested_bumps, __nested_ix_args) =
                <#inner_ty as anchor_lang::TryAccounts>::validate_accounts(
                    __program_id,
                    &__views[#offset_expr .. #offset_expr + <#inner_ty as anchor_lang::TryAccounts>::HEADER_SIZE],
                    __duplicates,
                    __base_offset + #offset_expr,
                    __ix_data,
                )?;
            // A nested Accounts type currently has no way to return its
            // parsed arguments to handler dispatch. Reject such schemas at
            // compile time instead of validating one interpretation of the
            // bytes and letting the handler consume another.
            #[inline(always)]
            fn #assert_no_nested_ix_args(_: ()) {}
            #assert_no_nested_ix_args(__nested_ix_args);
            let #field_name = anchor_lang::Nested(__nested_inner);
        };
        let exit = Some(quote! {
            self.#field_name.0.exit_accounts(__ix_data)?;
        });
        return Ok(AccountField {
            name: field_name.clone(),
            ty: field.ty.clone(),
            load,
            deferred_load: None,
            constraints: vec![],
            update: Some(quote! {
                self.#field_name.0.update_accounts()?;
            }),
            exit,
            has_bump: false,
            is_optional: false,
            offset_expr,
            // Nested children contribute via their own `MUT_MASK` shifted
            // into the parent's; they don't set a bit at the nested field's
            // own offset.
            contributes_mut_bit: false,
            contributes_active_mut_bit: false,
            idl_writable: false,
            idl_init_signer: false,
            idl_has_one: vec![],
            idl_address: None,
            idl_address_expr: None,
            idl_address_v1_source: None,
            idl_docs: vec![],
            idl_pda: None,
            idl_field_ty: Some(field_ty.clone()),
        });
    }

    let mut deferred_load = None;
    let load = if let Some(inner_ty) = option_inner {
        // `Option<T>` field: client-side sentinel of "account address ==
        // program_id" is interpreted as `None`. Otherwise we run the same
        // load / init / init_if_needed / zeroed logic we would for a
        // non-optional `T`, but against `inner_ty` (so the v2 trait-based
        // `AccountInitialize` / `AnchorAccount` impls dispatch on `T`, not
        // `Option<T>`), and wrap the result in `Some`.
        let inner_action = if attrs.is_init {
            // Init body emitted against inner_ty so the trait call lands on T.
            let init_body = if let Some(ref at) = associated_token {
                emit_associated_token_init_body(
                    inner_ty,
                    &attrs,
                    at,
                    field_offsets,
                    field_names,
                    field_summaries,
                    true,
                )?
            } else {
                emit_init_body(
                    field_name,
                    inner_ty,
                    &attrs,
                    field_names,
                    field_summaries,
                    true,
                )?
            };
            let init_body_with_constraints =
                wrap_init_body_with_constraints(inner_ty, &attrs, field_names, &init_body);
            quote! { Some({ #init_body_with_constraints }) }
        } else if attrs.is_init_if_needed {
            let init_body = if let Some(ref at) = associated_token {
                emit_associated_token_init_body(
                    inner_ty,
                    &attrs,
                    at,
                    field_offsets,
                    field_names,
                    field_summaries,
                    true,
                )?
            } else {
                emit_init_body(
                    field_name,
                    inner_ty,
                    &attrs,
                    field_names,
                    field_summaries,
                    true,
                )?
            };
            let init_body_with_constraints =
                wrap_init_body_with_constraints(inner_ty, &attrs, field_names, &init_body);
            quote! {
                if !__target.owned_by(&anchor_lang::programs::System::id()) {
                        #init_if_needed_reuse_validation
                    // SAFETY: the bitvec duplicate-account check below ensures
                    // no other mutable reference to this account's data exists.
                    Some(unsafe {
                        <#inner_ty as anchor_lang::AnchorAccount>::load_mut(__target)?
                    })
                } else {
                    Some({ #init_body_with_constraints })
                }
            }
        } else if attrs.is_zeroed {
            quote! {
                {
                    let __disc = <#inner_ty as anchor_lang::Discriminator>::DISCRIMINATOR;
                    {
                        let __data = __target.try_borrow()?;
                        if __data.len() < __disc.len()
                            || __data[..__disc.len()].iter().any(|b| *b != 0)
                        {
                            return Err(anchor_lang::ErrorCode::ConstraintZero.into());
                        }
                    }
                    unsafe {
                        let mut __view = __target;
                        let __data = __view.borrow_unchecked_mut();
                        __data[..__disc.len()].copy_from_slice(__disc);
                    }
                    // SAFETY: the bitvec duplicate-account check below ensures
                    // no other mutable reference to this account's data exists.
                    Some(unsafe {
                        <#inner_ty as anchor_lang::AnchorAccount>::load_mut(__target)?
                    })
                }
            }
        } else if attrs.is_mut {
            quote! {
                // SAFETY: the bitvec duplicate-account check below ensures
                // no other mutable reference to this account's data exists.
                Some(unsafe {
                    <#inner_ty as anchor_lang::AnchorAccount>::load_mut(__target)?
                })
            }
        } else {
            quote! {
                Some(<#inner_ty as anchor_lang::AnchorAccount>::load(__target)?)
            }
        };
        let init_if_needed_existed_binding = init_if_needed_existed.as_ref().map(|existed| {
            quote! {
                let #existed = {
                    let __target = __views[#offset_expr];
                    !anchor_lang::address_eq(__target.address(), __program_id)
                        && !__target.owned_by(&anchor_lang::programs::System::id())
                };
            }
        });
        let optional_dup_precheck =
            if !attrs.is_dup && (attrs.is_mut || attrs.is_zeroed || attrs.is_init_if_needed) {
                Some(quote! {
                    if let Some(__dups) = __duplicates {
                        if __dups.get((__base_offset + #offset_expr) as u8) {
                            return Err(
                                anchor_lang::ErrorCode::ConstraintDuplicateMutableAccount.into(),
                            );
                        }
                    }
                })
            } else {
                None
            };
        let load = quote! {
            #init_if_needed_existed_binding
            let mut #field_name: #field_ty = {
                let __target = __views[#offset_expr];
                if anchor_lang::address_eq(__target.address(), __program_id) {
                    None
                } else {
                    #optional_dup_precheck
                    #inner_action
                }
            };
        };
        if attrs.is_init || attrs.is_init_if_needed {
            deferred_load = Some(load);
            quote! {}
        } else {
            load
        }
    } else if attrs.is_init {
        let init_body = if let Some(ref at) = associated_token {
            emit_associated_token_init_body(
                field_ty,
                &attrs,
                at,
                field_offsets,
                field_names,
                field_summaries,
                false,
            )?
        } else {
            emit_init_body(
                field_name,
                field_ty,
                &attrs,
                field_names,
                field_summaries,
                false,
            )?
        };
        let init_body_with_constraints =
            wrap_init_body_with_constraints(field_ty, &attrs, field_names, &init_body);
        deferred_load = Some(quote! {
            let mut #field_name: #field_ty = {
                let __target = __views[#offset_expr];
                #init_body_with_constraints
            };
        });
        quote! {}
    } else if attrs.is_init_if_needed {
        let init_body = if let Some(ref at) = associated_token {
            emit_associated_token_init_body(
                field_ty,
                &attrs,
                at,
                field_offsets,
                field_names,
                field_summaries,
                false,
            )?
        } else {
            emit_init_body(
                field_name,
                field_ty,
                &attrs,
                field_names,
                field_summaries,
                false,
            )?
        };
        let init_body_with_constraints =
            wrap_init_body_with_constraints(field_ty, &attrs, field_names, &init_body);
        let existed = init_if_needed_existed.as_ref().unwrap();
        deferred_load = Some(quote! {
            let #existed = {
                let __target = __views[#offset_expr];
                !__target.owned_by(&anchor_lang::programs::System::id())
            };
            let mut #field_name: #field_ty = {
                let __target = __views[#offset_expr];
                if #existed {
                    #init_if_needed_reuse_validation
                    // SAFETY: the bitvec duplicate-account check below ensures
                    // no other mutable reference to this account's data exists.
                    unsafe { <#field_ty as anchor_lang::AnchorAccount>::load_mut(__target)? }
                } else {
                    // Create branch: run `AccountConstraint::init` for every
                    // runtime-only constraint AFTER the account's typed
                    // creation. Gated to this branch so the init hook only
                    // fires on actual creation, never on the exist branch.
                    #init_body_with_constraints
                }
            };
        });
        quote! {}
    } else if attrs.is_zeroed {
        // zeroed: account exists but discriminator must be all zeros. Verify,
        // stamp the real discriminator, then load mutably.
        quote! {
            let mut #field_name: #field_ty = {
                let __target = __views[#offset_expr];
                let __disc = <#field_ty as anchor_lang::Discriminator>::DISCRIMINATOR;
                {
                    let __data = __target.try_borrow()?;
                    if __data.len() < __disc.len() || __data[..__disc.len()].iter().any(|b| *b != 0) {
                        return Err(anchor_lang::ErrorCode::ConstraintZero.into());
                    }
                }
                unsafe {
                    let mut __view = __target;
                    let __data = __view.borrow_unchecked_mut();
                    __data[..__disc.len()].copy_from_slice(__disc);
                }
                // SAFETY: the bitvec duplicate-account check below ensures
                // no other mutable reference to this account's data exists.
                unsafe { <#field_ty as anchor_lang::AnchorAccount>::load_mut(__target)? }
            };
        }
    } else if attrs.is_mut {
        quote! {
            // SAFETY: the bitvec duplicate-account check below ensures no
            // other mutable reference to this account's data exists.
            let mut #field_name = unsafe { <#field_ty as anchor_lang::AnchorAccount>::load_mut(__views[#offset_expr])? };
        }
    } else {
        quote! {
            let #field_name: #field_ty = anchor_lang::AnchorAccount::load(__views[#offset_expr])?;
        }
    };

    // --- Constraints ---
    let mut constraints = Vec::new();
    let mut updates = Vec::new();

    // Writable check is now owned by `AnchorAccount::load_mut` (default
    // impl in `lang-v2/src/traits.rs`), so the derive no longer emits a
    // separate constraint block for `#[account(mut)]`. Types that
    // override `load_mut` (Slab/Account, BorshAccount, Signer, Boxed,
    // Option) each validate is_writable themselves; types that inherit
    // the default (UncheckedAccount, SystemAccount, Program, Sysvar) get
    // it via the trait default.

    // signer check
    if attrs.is_signer {
        constraints.push(quote! {
            if !#field_name.account().is_signer() {
                return Err(anchor_lang::ErrorCode::ConstraintSigner.into());
            }
        });
    }

    if attrs.is_init_if_needed
        && has_namespaced_constraint(&attrs, "mint", None)
        && !has_namespaced_constraint(&attrs, "mint", Some("freeze_authority"))
    {
        if is_optional {
            constraints.push(quote! {
                if let Some(__mint) = &#field_name {
                    if __mint.freeze_authority().is_some() {
                        return Err(anchor_lang::Error::InvalidAccountData);
                    }
                }
            });
        } else {
            constraints.push(quote! {
                if #field_name.freeze_authority().is_some() {
                    return Err(anchor_lang::Error::InvalidAccountData);
                }
            });
        }
    }

    // executable check
    if attrs.is_executable {
        constraints.push(quote! {
            if !#field_name.account().executable() {
                return Err(anchor_lang::ErrorCode::ConstraintExecutable.into());
            }
        });
    }

    // Seeds constraint. Runs for all non-init fields, INCLUDING
    // init_if_needed: when the account already exists the init body
    // (which contains its own seeds check) is skipped, so this is the
    // only PDA verification on that path. For plain `init`, the seeds
    // check inside emit_init_body is authoritative and this block is
    // skipped to avoid a redundant find loop.
    if !attrs.is_init {
        if let Some(ref seeds_expr) = attrs.seeds {
            let using_our_program_id = attrs.seeds_program.is_none();
            let pda_program = match &attrs.seeds_program {
                Some(prog) => quote! { &#prog },
                None => quote! { __program_id },
            };
            if let Expr::Array(arr) = seeds_expr {
                // Array-literal seeds: `seeds = [b"vault", user.address().as_ref()]`
                let seed_elems: Vec<&Expr> = arr.elems.iter().collect();
                reject_optional_sibling_seeds(&seed_elems, field_summaries)?;
                let seed_constraint = if let Some(Some(ref bump_expr)) = attrs.bump {
                    let bump_cache = bump_cache_ident(field_name);
                    let bump_assign = if is_optional {
                        quote! { Some(__bump_val) }
                    } else {
                        quote! { __bump_val }
                    };
                    let (seed_bindings, seed_refs) =
                        materialize_seed_refs(&seed_elems, field_names);
                    quote! {
                        {
                            #(#seed_bindings)*
                            let __bump_val: u8 = #bump_expr;
                            anchor_lang::verify_program_address(
                                &[#(#seed_refs,)* &[__bump_val]],
                                #pda_program,
                                #field_name.account().address(),
                            )?;
                            #bump_cache = #bump_assign;
                        }
                    }
                } else {
                    let target_addr_ref = quote! { #field_name.account().address() };
                    emit_seeds_check(
                        &seed_elems,
                        field_names,
                        &pda_program,
                        &target_addr_ref,
                        field_name,
                        false,
                        using_our_program_id,
                        is_optional,
                    )
                };
                constraints.push(if let Some(existed) = init_if_needed_existed.as_ref() {
                    quote! {
                        if #existed {
                            #seed_constraint
                        }
                    }
                } else {
                    seed_constraint
                });
            } else {
                // Opaque expression: `seeds = Counter::seeds()` etc.
                let bump_assign = if is_optional {
                    quote! { Some(__bump) }
                } else {
                    quote! { __bump }
                };
                let seed_constraint = if let Some(Some(ref bump_expr)) = attrs.bump {
                    let bump_cache = bump_cache_ident(field_name);
                    // Explicit bump + expression seeds: verify with appended bump
                    quote! {
                        {
                            let __seed_val = #seeds_expr;
                            let __seed_ref: &[&[u8]] = __seed_val.as_ref();
                            if __seed_ref.len() > 16 {
                                return Err(anchor_lang::ErrorCode::ConstraintSeeds.into());
                            }
                            let __bump: u8 = #bump_expr;
                            let __bump_bytes = [__bump];
                            let mut __seed_buf: [&[u8]; 17] = [&[]; 17];
                            let __n = __seed_ref.len();
                            __seed_buf[..__n].copy_from_slice(__seed_ref);
                            __seed_buf[__n] = &__bump_bytes;
                            anchor_lang::verify_program_address(
                                &__seed_buf[..__n + 1],
                                #pda_program,
                                #field_name.account().address(),
                            )?;
                            #bump_cache = #bump_assign;
                        }
                    }
                } else {
                    let bump_cache = bump_cache_ident(field_name);
                    // Bare bump: use find_and_verify with skip_curve
                    // when the account type guarantees non-zero data.
                    let skip_curve = quote! {
                        <#field_ty as anchor_lang::AnchorAccount>::MIN_DATA_LEN > 0
                    };
                    let target_addr = quote! { #field_name.account().address() };
                    quote! {
                        {
                            let __seed_val = #seeds_expr;
                            let __seed_ref: &[&[u8]] = __seed_val.as_ref();
                            let __bump = if #skip_curve {
                                anchor_lang::find_and_verify_program_address_skip_curve(
                                    __seed_ref, #pda_program, #target_addr,
                                ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?
                            } else {
                                anchor_lang::find_and_verify_program_address(
                                    __seed_ref, #pda_program, #target_addr,
                                ).map_err(|_| anchor_lang::ErrorCode::ConstraintSeeds)?
                            };
                            #bump_cache = #bump_assign;
                        }
                    }
                };
                constraints.push(if let Some(existed) = init_if_needed_existed.as_ref() {
                    quote! {
                        if #existed {
                            #seed_constraint
                        }
                    }
                } else {
                    seed_constraint
                });
            }
        }
    }

    // has_one
    //
    // This syntax is supported, but deprecated in favor of `address`.
    for (ho_span, ho, ho_err) in &attrs.has_one {
        let err = if let Some(ref e) = ho_err {
            quote! { core::convert::Into::into(#e) }
        } else {
            quote! { anchor_lang::ErrorCode::ConstraintHasOne.into() }
        };
        let deprecation = quote_spanned! { *ho_span =>
            {
                #[deprecated(
                    note = "`has_one` is deprecated; on the sibling field, use \
                            `#[account(address = owner.field)]` instead."
                )]
                fn __deprecated_has_one() {}
                __deprecated_has_one();
            }
        };
        constraints.push(quote! {
            #deprecation
            if AsRef::<[u8]>::as_ref(&#field_name.#ho) != AsRef::<[u8]>::as_ref(#ho.account().address()) {
                return Err(#err);
            }
        });
    }

    // address
    if let Some(ref addr) = attrs.address {
        let err = if let Some(ref e) = attrs.address_error {
            quote! { core::convert::Into::into(#e) }
        } else {
            quote! { anchor_lang::ErrorCode::ConstraintAddress.into() }
        };
        constraints.push(quote! {
            {
                // Accept any `T: Into<Address>` on the RHS — `Address`
                // itself goes through the blanket `From<T> for T`,
                // `&Address`, `[u8; 32]`, and any user-defined wrapper
                // with an `Into<Address>` impl all flow through the
                // same conversion. Still binds to a local first so
                // `address_eq` sees a stable reference.
                let __expected: anchor_lang::Address =
                    core::convert::Into::into(#addr);
                if !anchor_lang::address_eq(#field_name.account().address(), &__expected) {
                    return Err(#err);
                }
            }
        });
    }

    // owner
    if let Some(ref owner_expr) = attrs.owner {
        let err = if let Some(ref e) = attrs.owner_error {
            quote! { core::convert::Into::into(#e) }
        } else {
            quote! { anchor_lang::ErrorCode::ConstraintOwner.into() }
        };
        constraints.push(quote! {
            if !#field_name.account().owned_by(&#owner_expr) {
                return Err(#err);
            }
        });
    }

    // constraint(s) — emitted in the order they appeared in the attribute.
    for (expr, custom_err) in &attrs.raw_constraints {
        let err = if let Some(custom_err) = custom_err {
            quote! { core::convert::Into::into(#custom_err) }
        } else {
            quote! { anchor_lang::ErrorCode::ConstraintRaw.into() }
        };
        constraints.push(quote! {
            if !(#expr) {
                return Err(#err);
            }
        });
    }

    if !attrs.is_init {
        if let Some(ref at) = associated_token {
            let mint = &at.mint;
            let authority = &at.authority;
            let token_program = &at.token_program;
            let mint_addr = if field_is_optional(field_summaries, mint) {
                quote! {
                    match (#mint).as_ref() {
                        Some(__anchor_account) => *__anchor_account.account().address(),
                        None => {
                            return Err(
                                anchor_lang::ErrorCode::ConstraintAccountIsNone.into()
                            );
                        }
                    }
                }
            } else {
                quote! { *anchor_lang::AccountAddress::account_address(&(#mint)) }
            };
            let authority_addr = if field_is_optional(field_summaries, authority) {
                quote! {
                    match (#authority).as_ref() {
                        Some(__anchor_account) => *__anchor_account.account().address(),
                        None => {
                            return Err(
                                anchor_lang::ErrorCode::ConstraintAccountIsNone.into()
                            );
                        }
                    }
                }
            } else {
                quote! { *anchor_lang::AccountAddress::account_address(&(#authority)) }
            };
            let token_program_addr = if field_is_optional(field_summaries, token_program) {
                quote! {
                    match (#token_program).as_ref() {
                        Some(__anchor_account) => *__anchor_account.account().address(),
                        None => {
                            return Err(
                                anchor_lang::ErrorCode::ConstraintAccountIsNone.into()
                            );
                        }
                    }
                }
            } else {
                quote! { *anchor_lang::AccountAddress::account_address(&(#token_program)) }
            };
            constraints.push(quote! {
                {
                    let __associated_token_mint = #mint_addr;
                    let __associated_token_authority = #authority_addr;
                    let __associated_token_token_program = #token_program_addr;

                    if !anchor_lang::address_eq(
                        #field_name.mint(),
                        &__associated_token_mint,
                    ) {
                        return Err(anchor_lang::ErrorCode::ConstraintAddress.into());
                    }
                    if !anchor_lang::address_eq(
                        #field_name.owner(),
                        &__associated_token_authority,
                    ) {
                        return Err(anchor_lang::ErrorCode::ConstraintAddress.into());
                    }
                    if !#field_name.account().owned_by(&__associated_token_token_program) {
                        return Err(anchor_lang::ErrorCode::ConstraintOwner.into());
                    }

                    let __expected_associated_token =
                        anchor_spl::associated_token::get_associated_token_address_with_program_id(
                            &__associated_token_authority,
                            &__associated_token_mint,
                            &__associated_token_token_program,
                        );
                    if !anchor_lang::address_eq(
                        #field_name.account().address(),
                        &__expected_associated_token,
                    ) {
                        return Err(anchor_lang::ErrorCode::ConstraintAddress.into());
                    }
                }
            });
        }
    }

    // Namespaced constraints → `AccountConstraint` method dispatch.
    //
    //   | context                                       | method(s)              |
    //   |-----------------------------------------------|------------------------|
    //   | `update(ns::k = v)`                           | `update`               |
    //   | `init, ns::k = v` (runtime-only ns)           | `init` (inside create) |
    //   | `init_if_needed, ns::k = v` (runtime-only ns) | `init` + `check`       |
    //   |     (init runs only on the create branch)     |                        |
    //   | `init_if_needed, ns::k = v` (built-in ns)     | `check` (exist branch) |
    //   | `ns::k = v` (non-init)                        | `check`                |
    //   | `init, ns::k = v` (built-in ns)               | skipped — Params path  |
    //
    // The `init` dispatch is embedded inline into the init body by
    // `wrap_init_body_with_constraints` above so the hook only fires on
    // actual creation. Only `check` and `update` emit out here in the
    // constraint phase.
    //
    // Field refs thread through `AsRef::as_ref` so the call-site's
    // `V` is inferred from the `AccountConstraint::Value` associated
    // type. Literals / expressions pass through verbatim.
    for nc in &attrs.namespaced {
        if nc.namespace == "associated_token" {
            continue;
        }
        // TODO: Improve diagnostics for missing SPL namespace imports.
        // Today `token::...` / `mint::...` resolution failures point at the
        // derive output. We want to keep the normal Rust E0433, but add a
        // useful hint for importing `anchor_spl::prelude::*` or the
        // specific marker module.
        let ns = syn::Ident::new(&nc.namespace, proc_macro2::Span::call_site());
        let key = syn::Ident::new(&nc.key, proc_macro2::Span::call_site());
        let (expected_binding, expected_arg) =
            emit_constraint_expected_binding(&ns, &key, nc, field_names, field_summaries, false);

        if nc.is_update {
            let update_target = if is_optional {
                quote! { #field_name }
            } else {
                quote! { &mut self.#field_name }
            };
            let (update_expected_binding, update_expected_arg) =
                emit_constraint_expected_binding(&ns, &key, nc, field_names, field_summaries, true);
            // `update(...)` runs after validation + access-control.
            updates.push(quote! {
                {
                    #update_expected_binding
                    <#ns::#key as anchor_lang::AccountConstraint<_>>::update(
                        #update_target, #update_expected_arg,
                    )?;
                }
            });
            continue;
        }

        // `check` fires for:
        //   - non-init fields,
        //   - init_if_needed fields (both runtime-only and built-in,
        //     covering the already-exists branch where the Params path
        //     never ran, and redundantly on the create branch after
        //     init already stamped the state).
        //
        // Pure `init` fields do not emit `check`: runtime-only got
        // `init` via `wrap_init_body_with_constraints`, built-in was
        // handled by `AccountInitialize::Params`, and the values are
        // authoritative by construction.
        if !attrs.is_init {
            let check_target = if is_optional {
                quote! { &*#field_name }
            } else {
                quote! { &#field_name }
            };
            constraints.push(quote! {
                {
                    #expected_binding
                    <#ns::#key as anchor_lang::AccountConstraint<_>>::check(
                        #check_target, #expected_arg,
                    )?;
                }
            });
        }
    }

    // realloc
    if let Some(ref new_space) = attrs.realloc {
        let realloc_payer = attrs.realloc_payer.as_ref().ok_or_else(|| {
            syn::Error::new(
                attrs.realloc_span.unwrap_or_else(|| field_name.span()),
                "`realloc` requires `realloc_payer`",
            )
        })?;
        let zero_fill = attrs.realloc_zero;
        let realloc_target = if is_optional {
            quote! { #field_name }
        } else {
            quote! { &mut #field_name }
        };
        constraints.push(quote! {
            {
                let __new_space = #new_space;
                let __payer_view = *#realloc_payer.account();
                anchor_lang::AccountRealloc::realloc_account(
                    #realloc_target,
                    __new_space,
                    __payer_view,
                    #zero_fill,
                )?;
            }
        });
    }

    // Namespaced constraint exits: emit `AccountConstraint::exit` calls
    // for every namespaced constraint in source order, routed through
    // `self.<field>` so they run in `exit_accounts()` context. Field-ref
    // RHS values are rewritten from bare `sibling` → `self.sibling`;
    // literal / expression values pass through unchanged (callers that
    // need self-qualified expression exits should spell the path in
    // full).
    let constraint_exits: Vec<TokenStream2> = attrs
        .namespaced
        .iter()
        .filter(|nc| nc.namespace != "associated_token")
        .map(|nc| {
            let ns = syn::Ident::new(&nc.namespace, proc_macro2::Span::call_site());
            let key = syn::Ident::new(&nc.key, proc_macro2::Span::call_site());
            let (expected_binding, expected_arg) =
                emit_constraint_expected_binding(&ns, &key, nc, field_names, field_summaries, true);
            quote! {
                {
                    #expected_binding
                    <#ns::#key as anchor_lang::AccountConstraint<_>>::exit(
                        &mut self.#field_name, #expected_arg,
                    )?;
                }
            }
        })
        .collect();
    let has_constraint_exits = !constraint_exits.is_empty();

    // close (self-close prevention constraint + exit)
    let exit = if let Some(ref close_target) = attrs.close {
        constraints.push(quote! {
            if anchor_lang::address_eq(
                #field_name.account().address(),
                #close_target.account().address(),
            ) {
                return Err(anchor_lang::ErrorCode::ConstraintClose.into());
            }
        });
        Some(quote! {
            #(#constraint_exits)*
            anchor_lang::AccountClose::close(
                &mut self.#field_name,
                *self.#close_target.account(),
            )?;
        })
    } else if attrs.is_mut {
        Some(quote! {
            #(#constraint_exits)*
            anchor_lang::AnchorAccount::exit(&mut self.#field_name)?;
        })
    } else if has_constraint_exits {
        // Constraint exits even on read-only fields: callers can attach
        // an exit hook to a non-mut field (e.g. a bookkeeping constraint
        // that only needs to run post-instruction).
        Some(quote! {
            #(#constraint_exits)*
        })
    } else {
        None
    };

    // For `Option<T>` fields, each constraint body was generated against the
    // unwrapped inner — we wrap it in `if let Some(#field_name) = #field_name`
    // so `#field_name.account()`, `#field_name.authority`, etc. resolve on the
    // inner `T` (via autoderef). The exit/close path regenerates against the
    // unwrapped `&mut T` so `AnchorAccount::exit` / `AccountClose::close`
    // get the right type.
    //
    // Mutable fields use `ref mut` so constraint bodies that need `&mut self`
    // (e.g. BorshAccount::release_borrow in the realloc path) can work.
    // Read-only methods still resolve via auto-deref from `&mut T` to `&T`.
    let (constraints, update, exit) = if is_optional {
        let constraints = constraints
            .into_iter()
            .map(|c| {
                if attrs.is_mut {
                    quote! {
                        if let Some(ref mut #field_name) = #field_name {
                            let _ = &#field_name;
                            #c
                        }
                    }
                } else {
                    quote! {
                        if let Some(ref #field_name) = #field_name {
                            // `#c` may not textually name `#field_name` (e.g. a
                            // literal `constraint = false`, or the derive-
                            // generated duplicate-mut guard that only touches
                            // `__duplicates[..]`). Without this no-op reference
                            // rustc flags the original field as unused. Narrow
                            // silencer rather than a blanket
                            // `#[allow(unused_variables)]` so real typos in
                            // `#c` still surface.
                            let _ = &#field_name;
                            #c
                        }
                    }
                }
            })
            .collect();
        let update = if updates.is_empty() {
            None
        } else {
            Some(quote! {
                if let Some(ref mut #field_name) = self.#field_name {
                    let _ = &#field_name;
                    #(#updates)*
                }
            })
        };
        let exit = exit.map(|e| {
            // `e` was built against `self.#field_name` (e.g.
            // `AnchorAccount::exit(&mut self.#field_name)`). For optional
            // fields we rebuild with the unwrapped inner so the trait call
            // dispatches on `T`, not `Option<T>`.
            let _ = e; // silence unused (shape decided below)

            // Rebuild namespaced-constraint exits against the unwrapped
            // inner `&mut T` bound as `__inner`.
            let inner_constraint_exits: Vec<TokenStream2> = attrs
                .namespaced
                .iter()
                .filter(|nc| nc.namespace != "associated_token")
                .map(|nc| {
                    let ns = syn::Ident::new(&nc.namespace, proc_macro2::Span::call_site());
                    let key = syn::Ident::new(&nc.key, proc_macro2::Span::call_site());
                    let (expected_binding, expected_arg) = emit_constraint_expected_binding(
                        &ns,
                        &key,
                        nc,
                        field_names,
                        field_summaries,
                        true,
                    );
                    quote! {
                        {
                            #expected_binding
                            <#ns::#key as anchor_lang::AccountConstraint<_>>::exit(
                                __inner, #expected_arg,
                            )?;
                        }
                    }
                })
                .collect();

            if let Some(ref close_target) = attrs.close {
                quote! {
                    if let Some(__inner) = self.#field_name.as_mut() {
                        #(#inner_constraint_exits)*
                        anchor_lang::AccountClose::close(
                            __inner,
                            *self.#close_target.account(),
                        )?;
                    }
                }
            } else if attrs.is_mut {
                quote! {
                    if let Some(__inner) = self.#field_name.as_mut() {
                        #(#inner_constraint_exits)*
                        anchor_lang::AnchorAccount::exit(__inner)?;
                    }
                }
            } else {
                quote! {
                    if let Some(__inner) = self.#field_name.as_mut() {
                        #(#inner_constraint_exits)*
                    }
                }
            }
        });
        (constraints, update, exit)
    } else {
        let update = if updates.is_empty() {
            None
        } else {
            Some(quote! { #(#updates)* })
        };
        (constraints, update, exit)
    };

    let contributes_mut_bit = attrs.is_mut && !attrs.is_dup && !is_optional;
    let contributes_active_mut_bit = attrs.is_mut && !attrs.is_dup && is_optional;
    Ok(AccountField {
        name: field_name.clone(),
        ty: field.ty.clone(),
        load,
        deferred_load,
        constraints,
        update,
        exit,
        has_bump,
        is_optional,
        offset_expr,
        contributes_mut_bit,
        contributes_active_mut_bit,
        idl_writable,
        idl_init_signer,
        idl_has_one,
        idl_address,
        idl_address_expr,
        idl_address_v1_source,
        idl_docs,
        idl_pda,
        idl_field_ty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_test_field(field: &syn::Field) -> syn::Result<AccountField> {
        let attrs = parse_account_attrs(&field.attrs)?;
        parse_field(field, &attrs, &[], &[], quote!(0usize), &[], &[])
    }

    #[test]
    fn test_parse_account_attrs() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(mut, seeds = [b"vault"], bump, signer)]
        )];
        let parsed_attrs = parse_account_attrs(&attrs).unwrap();
        assert!(parsed_attrs.is_mut);
        assert!(parsed_attrs.seeds.is_some());
        assert!(parsed_attrs.bump.is_some());
        assert!(parsed_attrs.is_signer);
    }

    #[test]
    fn associated_token_update_constraints_are_rejected() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(update(associated_token::mint = mint))]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("associated_token update constraints must be rejected"),
            Err(err) => err,
        };
        assert_eq!(
            err.to_string(),
            "`update(associated_token::...)` constraints are not supported"
        );
    }

    #[test]
    fn seeds_program_without_seeds_is_rejected() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(seeds::program = other_program.key())]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("seeds::program without seeds must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("seeds must be provided before seeds::program"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn empty_seed_array_with_seeds_program_requires_bump() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(seeds = [], seeds::program = other_program.key())]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("empty seeds array without bump must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string().contains("`seeds` requires `bump`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn empty_seed_array_with_bump_is_accepted() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(seeds = [], bump = 255)]
        )];
        let parsed = parse_account_attrs(&attrs).expect("empty seeds with bump must parse");
        assert!(parsed.seeds.is_some());
        assert!(matches!(parsed.bump, Some(Some(_))));
    }

    #[test]
    fn close_does_not_imply_mutability() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(close = receiver)]
        )];
        let parsed_attrs = parse_account_attrs(&attrs).unwrap();
        assert!(!parsed_attrs.is_mut);
        assert_eq!(parsed_attrs.close.unwrap().to_string(), "receiver");
    }

    #[test]
    fn account_attrs_on_nested_field_are_rejected() {
        use syn::parse::Parser;

        let field: syn::Field = syn::Field::parse_named
            .parse2(quote::quote! {
                #[account(constraint = missing_symbol_that_should_not_compile())]
                pub inner: Nested<Inner>
            })
            .unwrap();
        let err = match parse_test_field(&field) {
            Ok(_) => panic!("account attrs on Nested<T> must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("`#[account(...)]` attributes are not supported on `Nested<T>` fields"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn opaque_seeds_with_explicit_bump_emits_seed_len_guard() {
        // The opaque-seeds + explicit-bump branch builds a fixed
        // `[&[u8]; 17]` buffer at runtime. Without a length guard, a seed
        // expression returning more than 16 elements panics in
        // `copy_from_slice` or when writing the bump byte. Assert that the
        // generated code rejects oversized seeds with `ConstraintSeeds`
        // before touching the buffer.
        use syn::parse::Parser;
        let field: syn::Field = syn::Field::parse_named
            .parse2(quote::quote! {
                #[account(seeds = MyAcc::seeds(), bump = 0)]
                pub my_acc: Account<MyAcc>
            })
            .unwrap();
        let parsed = parse_test_field(&field).unwrap();
        let joined = parsed
            .constraints
            .iter()
            .map(|t| t.to_string())
            .collect::<String>();
        assert!(
            joined.contains("__seed_ref . len () > 16"),
            "expected seed-length guard in generated constraints, got: {joined}"
        );
        assert!(
            joined.contains("ConstraintSeeds"),
            "expected ConstraintSeeds error path in generated constraints, got: {joined}"
        );
    }

    #[test]
    fn rewrite_seed_value_expr_preserves_nontrivial_as_ref_receivers() {
        let expr: Expr = syn::parse_quote!(config.seed.as_ref());
        let fields = vec!["config".to_string()];

        let rewritten = rewrite_seed_value_expr(&expr, &fields);

        assert_eq!(rewritten.to_string(), "config . seed . as_ref ()");
    }

    #[test]
    fn init_with_explicit_bump_is_rejected() {
        // Mirrors Anchor v1: `init` requires the canonical bump (off-curve
        // guarantee), so caller-supplied bumps must be rejected at parse
        // time rather than silently discarded by the codegen.
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init, payer = payer, space = 8, seeds = [b"x"], bump = 0)]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("init + bump=<expr> must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("`bump = <expr>` is not allowed with `init`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn init_if_needed_with_explicit_bump_is_accepted() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init_if_needed, payer = payer, space = 8, seeds = [b"x"], bump = 0)]
        )];
        let parsed = parse_account_attrs(&attrs).expect("init_if_needed + bump=<expr>");
        assert!(parsed.is_init_if_needed);
        assert!(matches!(parsed.bump, Some(Some(_))));
    }

    #[test]
    fn init_without_payer_is_rejected() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init, space = 8)]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("init without payer must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("`init` and `init_if_needed` require `payer`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn init_if_needed_without_payer_is_rejected() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init_if_needed, space = 8)]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("init_if_needed without payer must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("`init` and `init_if_needed` require `payer`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn realloc_without_realloc_payer_is_rejected() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(mut, realloc = 16, realloc_zero = false)]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("realloc without realloc_payer must be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string()
                .contains("`realloc` requires `realloc_payer`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn built_in_init_namespaces_skip_runtime_init_hooks() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init, payer = payer, mint::decimals = 6, mint::authority = mint_authority)]
        )];
        let parsed = parse_account_attrs(&attrs).expect("built-in init namespace should parse");
        let init_body = quote::quote! { __init_body()? };
        let field_names = vec!["mint_authority".to_string()];
        let wrapped = wrap_init_body_with_constraints(
            &syn::parse_quote!(Account<Data>),
            &parsed,
            &field_names,
            &init_body,
        );

        assert_eq!(wrapped.to_string(), init_body.to_string());
    }

    #[test]
    fn runtime_only_init_namespaces_use_as_ref_for_field_refs() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(init, payer = payer, custom::foo = authority)]
        )];
        let parsed = parse_account_attrs(&attrs).expect("runtime-only init namespace should parse");
        let field_names = vec!["authority".to_string()];
        let wrapped = wrap_init_body_with_constraints(
            &syn::parse_quote!(Account<Data>),
            &parsed,
            &field_names,
            &quote::quote! { __init_body()? },
        )
        .to_string();

        assert!(
            wrapped.contains("AsRef :: as_ref (& authority)"),
            "expected field-ref coercion via AsRef, got: {wrapped}"
        );
        assert!(
            !wrapped.contains("AccountAddress :: account_address"),
            "unexpected account-address coercion in runtime-only init hook: {wrapped}"
        );
    }

    #[test]
    fn multiple_constraints_collected_in_source_order() {
        // Mixed `=` and parenthesized spellings, repeated. Each entry
        // must land in `raw_constraints` at the index it appears, so
        // codegen emits the checks in the same order the user wrote.
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(
                mut,
                constraint = a == b,
                constraint(c == d @ MyErr::X),
                constraint(e.f()),
                constraint = g @ MyErr::Y,
            )]
        )];
        let parsed = parse_account_attrs(&attrs).unwrap();
        assert_eq!(parsed.raw_constraints.len(), 4);
        let strs: Vec<(String, Option<String>)> = parsed
            .raw_constraints
            .iter()
            .map(|(e, err)| {
                (
                    quote!(#e).to_string(),
                    err.as_ref().map(|x| quote!(#x).to_string()),
                )
            })
            .collect();
        assert_eq!(strs[0].0, "a == b");
        assert_eq!(strs[0].1, None);
        assert_eq!(strs[1].0, "c == d");
        assert_eq!(strs[1].1.as_deref(), Some("MyErr :: X"));
        assert_eq!(strs[2].0, "e . f ()");
        assert_eq!(strs[2].1, None);
        assert_eq!(strs[3].0, "g");
        assert_eq!(strs[3].1.as_deref(), Some("MyErr :: Y"));
    }

    #[test]
    fn paren_constraint_rejects_extra_tokens() {
        // `constraint(a, b)` is not a chain — chained checks must be
        // written as separate `constraint(...)` entries. The parser
        // surfaces the misuse at parse time rather than silently
        // dropping the trailing tokens.
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(constraint(a == b, c == d))]
        )];
        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("expected `constraint(a, b)` to be rejected"),
            Err(err) => err,
        };
        assert!(
            err.to_string().contains("single `expr"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn test_parse_invalid_account_attrs() {
        let attrs: Vec<Attribute> = vec![syn::parse_quote!(
            #[account(mut, seeds = [b"vault"], bumpp, signer)]
        )];

        let err = match parse_account_attrs(&attrs) {
            Ok(_) => panic!("expected malformed account attrs to be rejected"),
            Err(err) => err,
        };

        assert!(
            err.to_string()
                .contains("unknown account constraint `bumpp`"),
            "unexpected error: {err}"
        );
    }

    #[test]
    fn address_constraint_static_paths_resolve_at_idl_build_time() {
        use syn::parse::Parser;

        let field: syn::Field = syn::Field::parse_named
            .parse2(quote::quote! {
                #[account(address = EXPECTED_PROGRAM)]
                pub program: UncheckedAccount
            })
            .unwrap();
        let parsed = parse_test_field(&field).unwrap();

        assert!(parsed.idl_address.is_none());
        assert!(parsed.idl_address_expr.is_some());
        assert!(parsed.idl_address_v1_source.is_none());
    }

    #[test]
    fn address_constraint_dotted_paths_remain_client_hints() {
        use syn::parse::Parser;

        let field: syn::Field = syn::Field::parse_named
            .parse2(quote::quote! {
                #[account(address = data.expected_program)]
                pub program: UncheckedAccount
            })
            .unwrap();
        let attrs = parse_account_attrs(&field.attrs).unwrap();
        let parsed = parse_field(
            &field,
            &attrs,
            &["data".into(), "program".into()],
            &[],
            quote::quote!(0usize),
            &[],
            &[],
        )
        .unwrap();

        assert_eq!(parsed.idl_address.as_deref(), Some("data.expected_program"));
        assert!(parsed.idl_address_expr.is_none());
        assert!(parsed.idl_address_v1_source.is_none());
    }
}
