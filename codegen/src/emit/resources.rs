//! Resources -> handles (`client.spaces().messages()`) and one request builder per method.
//!
//! Per method: a `static` `::google_api_runtime::contract::MethodInfo` describing it, a builder struct
//! holding the required arguments, optional query parameters and standard parameters,
//! setters, and `send` (plus `send_media`, `fetch_media`, `pages`/`stream` where the method
//! supports them). Everything else (URL expansion, auth, retries, decoding) is the
//! runtime's, so each method costs little to compile.

use crate::model::{Availability, Method, ParamLocation, Parameter, Resource, TypeRef};
use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::Ctx;
use super::docs::{code_span, doc_attrs, list_item, rustdoc};
use super::idents::{Scope, cfg_attr, cfg_within, ident, rust_type};

/// Who owns a resource's accessor or a method's constructor.
enum Owner<'a> {
    /// `impl crate::Client`: top-level resources (and top-level methods).
    Client,
    /// A resource handle type, and the availability its impl block is gated on.
    Handle(&'a Ident, Availability),
}

impl Owner<'_> {
    /// The `cfg` of an item inside the owner's impl block.
    fn cfg_of(&self, child: Availability) -> TokenStream {
        match self {
            Owner::Client => cfg_attr(child),
            Owner::Handle(_, parent) => cfg_within(*parent, child),
        }
    }
}

/// The items of one top-level resource (its handle, nested handles, builders) and its
/// accessor on `crate::Client`.
pub fn top_level(ctx: &Ctx<'_>, resource: &Resource) -> anyhow::Result<TokenStream> {
    if resource.wire_name.is_empty() {
        // Top-level methods of the API: constructors on the client itself.
        let mut items = TokenStream::new();
        let mut ctors = TokenStream::new();
        for m in &resource.methods {
            let (ctor, builder) = method(ctx, m, &Owner::Client)?;
            ctors.extend(ctor);
            items.extend(builder);
        }
        return Ok(quote! {
            impl crate::Client { #ctors }
            #items
        });
    }
    let accessor = accessor(resource, &Owner::Client)?;
    let items = handle(ctx, resource)?;
    Ok(quote! {
        impl crate::Client { #accessor }
        #items
    })
}

/// The accessor of `resource` on its owner.
fn accessor(resource: &Resource, owner: &Owner<'_>) -> anyhow::Result<TokenStream> {
    let name = ident(&resource.rust_name)?;
    let ty = ident(&resource.type_name)?;
    let cfg = owner.cfg_of(resource.availability);
    let doc = doc_attrs(&format!(
        "The `{}` resource: [`{}`].",
        resource.wire_path.join("."),
        resource.type_name
    ));
    let client = match owner {
        Owner::Client => {
            quote!(::google_api_runtime::contract::ApiClient::runtime(self).clone())
        }
        Owner::Handle(..) => quote!(self.client.clone()),
    };
    Ok(quote! {
        #doc
        #cfg
        pub fn #name(&self) -> #ty {
            #ty { client: #client }
        }
    })
}

/// A resource handle, its methods' builders, and its nested resources.
fn handle(ctx: &Ctx<'_>, resource: &Resource) -> anyhow::Result<TokenStream> {
    let ty = ident(&resource.type_name)?;
    let cfg = cfg_attr(resource.availability);
    let mut text = match &resource.description {
        Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
        _ => format!("The {} resource.", code_span(&resource.wire_path.join("."))),
    };
    if resource.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    let doc = doc_attrs(&text);
    let owner = Owner::Handle(&ty, resource.availability);
    let mut fns = TokenStream::new();
    let mut items = TokenStream::new();
    for nested in &resource.resources {
        fns.extend(accessor(nested, &owner)?);
        items.extend(handle(ctx, nested)?);
    }
    for m in &resource.methods {
        let (ctor, builder) = method(ctx, m, &owner)?;
        fns.extend(ctor);
        items.extend(builder);
    }
    Ok(quote! {
        #doc
        #cfg
        #[derive(Debug, Clone)]
        pub struct #ty {
            client: ::google_api_runtime::Client,
        }
        #cfg
        impl #ty { #fns }
        #items
    })
}

/// How one parameter appears in a builder.
struct Param<'a> {
    p: &'a Parameter,
    /// The builder's field.
    field: Ident,
    /// The setter (optional parameters) or constructor argument (required ones).
    setter: Ident,
    /// The type of one value.
    ty: TokenStream,
    /// Its `cfg` inside the method's items.
    cfg: TokenStream,
    /// Whether one value is a `String`.
    is_string: bool,
    /// Whether arguments are taken as `impl Into<T>` (strings, enums, wire types) rather
    /// than `T` (numbers and `bool`, where `Into` would defeat literal inference).
    into: bool,
}

impl<'a> Param<'a> {
    fn new(ctx: &Ctx<'_>, m: &Method, p: &'a Parameter) -> anyhow::Result<Self> {
        // The model's names already avoid the builder's own members
        // (`google_api_runtime::contract::reserved::BUILDER_MEMBERS`).
        let field = p.rust_name.clone();
        let setter = p.rust_name.clone();
        let into = !matches!(
            p.ty,
            TypeRef::Bool
                | TypeRef::I32
                | TypeRef::U32
                | TypeRef::I64
                | TypeRef::U64
                | TypeRef::F32
                | TypeRef::F64
        );
        let is_string = ctx.types.is_string(&p.ty);
        let ty = if is_string {
            quote!(String)
        } else {
            rust_type(&p.ty, Scope::Elsewhere)?
        };
        Ok(Self {
            p,
            field: ident(&field)?,
            setter: ident(&setter)?,
            ty,
            cfg: cfg_within(m.availability, p.availability),
            is_string,
            into,
        })
    }

    /// The field's type in the builder.
    fn field_ty(&self) -> TokenStream {
        let ty = &self.ty;
        if self.p.repeated {
            quote!(Vec<#ty>)
        } else if self.p.required {
            quote!(#ty)
        } else {
            quote!(Option<#ty>)
        }
    }

    /// The argument type of the setter or constructor.
    fn arg_ty(&self) -> TokenStream {
        let ty = &self.ty;
        match (self.p.repeated, self.into) {
            (true, true) => quote!(impl IntoIterator<Item = impl Into<#ty>>),
            (true, false) => quote!(impl IntoIterator<Item = #ty>),
            (false, true) => quote!(impl Into<#ty>),
            (false, false) => quote!(#ty),
        }
    }

    /// The field's value from the argument named like the setter.
    fn convert(&self) -> TokenStream {
        let arg = &self.setter;
        match (self.p.repeated, self.into) {
            (true, true) => quote!(#arg.into_iter().map(Into::into).collect()),
            (true, false) => quote!(#arg.into_iter().collect()),
            (false, true) => quote!(#arg.into()),
            (false, false) => quote!(#arg),
        }
    }

    /// The statement adding this parameter to `req`.
    fn apply(&self) -> TokenStream {
        let field = &self.field;
        let wire = &self.p.wire_name;
        let cfg = self.cfg.clone();
        let stmt = match (self.p.location, self.p.repeated, self.p.required) {
            (ParamLocation::Path, true, _) => quote! {
                req.path_param(#wire, self.#field.iter().map(::google_api_runtime::contract::QueryValue::to_query_value).collect::<Vec<_>>().join(","));
            },
            (ParamLocation::Path, false, false) => quote! {
                if let Some(v) = &self.#field {
                    req.path_param(#wire, ::google_api_runtime::contract::QueryValue::to_query_value(v));
                }
            },
            (ParamLocation::Path, false, true) if self.is_string => {
                quote!(req.path_param(#wire, self.#field);)
            }
            (ParamLocation::Path, false, true) => {
                quote!(req.path_param(#wire, ::google_api_runtime::contract::QueryValue::to_query_value(&self.#field));)
            }
            (ParamLocation::Query, true, _) => quote! {
                for v in &self.#field { req.query(#wire, v); }
            },
            (ParamLocation::Query, false, true) => quote!(req.query(#wire, &self.#field);),
            (ParamLocation::Query, false, false) => quote! {
                if let Some(v) = &self.#field { req.query(#wire, v); }
            },
        };
        quote!(#cfg #stmt)
    }

    /// The parameter's documentation.
    fn doc_text(&self, ctx: &Ctx<'_>) -> String {
        let p = self.p;
        let mut text = match &p.description {
            Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
            _ => String::new(),
        };
        let place = match p.location {
            ParamLocation::Path => "Path parameter",
            ParamLocation::Query => "Query parameter",
        };
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("{place} {}", code_span(&p.wire_name)));
        if p.repeated {
            text.push_str(", repeated once per value");
        }
        if let Some(default) = &p.default {
            text.push_str(&format!("; the server's default is {}", code_span(default)));
        }
        text.push('.');
        if p.deprecated {
            text.push_str(" **Deprecated** by the API.");
        }
        text
    }
}

/// The HTTP method as a `reqwest::Method` constant.
fn http_method(m: &Method) -> anyhow::Result<TokenStream> {
    Ok(match m.http_method.as_str() {
        "GET" => quote!(::google_api_runtime::contract::Method::GET),
        "POST" => quote!(::google_api_runtime::contract::Method::POST),
        "PUT" => quote!(::google_api_runtime::contract::Method::PUT),
        "PATCH" => quote!(::google_api_runtime::contract::Method::PATCH),
        "DELETE" => quote!(::google_api_runtime::contract::Method::DELETE),
        "HEAD" => quote!(::google_api_runtime::contract::Method::HEAD),
        "OPTIONS" => quote!(::google_api_runtime::contract::Method::OPTIONS),
        other => anyhow::bail!("{}: HTTP method {other:?} is not supported", m.id),
    })
}

/// The documentation of a method: description, HTTP method and path, id, scopes,
/// required arguments.
fn method_doc_text(ctx: &Ctx<'_>, m: &Method, required: &[&Param<'_>]) -> String {
    let mut text = match &m.description {
        Some(d) if !d.trim().is_empty() => rustdoc(d, &ctx.docs),
        _ => format!("The {} method.", code_span(&m.id)),
    };
    text.push_str(&format!(
        "\n\n{} ({})",
        code_span(&format!("{} {}", m.http_method, m.path)),
        code_span(&m.id)
    ));
    if m.deprecated {
        text.push_str("\n\n**Deprecated** by the API.");
    }
    if !required.is_empty() || m.request.is_some() {
        text.push_str("\n\n# Arguments\n");
        for p in required {
            text.push('\n');
            text.push_str(&list_item(&format!("`{}`", p.setter), &p.doc_text(ctx)));
        }
        if m.request.is_some() {
            text.push_str("\n- `body`: the request body.");
        }
    }
    if !m.scopes.is_empty() {
        text.push_str("\n\n# Scopes\n\nAny one of:\n");
        for s in &m.scopes {
            text.push_str(&format!("\n- <{s}>"));
        }
    }
    text
}

/// The constructor on the owner and the builder items of one method.
fn method(
    ctx: &Ctx<'_>,
    m: &Method,
    owner: &Owner<'_>,
) -> anyhow::Result<(TokenStream, TokenStream)> {
    let builder = ident(&m.builder_name)?;
    let fn_name = ident(&m.rust_name)?;
    let cfg = cfg_attr(m.availability);
    let params = m
        .parameters
        .iter()
        .map(|p| Param::new(ctx, m, p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let (required, optional): (Vec<&Param<'_>>, Vec<&Param<'_>>) =
        params.iter().partition(|p| p.p.required);
    let body_ty = m
        .request
        .as_ref()
        .map(|t| rust_type(t, Scope::Elsewhere))
        .transpose()?;

    // The constructor on the handle (or client).
    let ctor_cfg = owner.cfg_of(m.availability);
    let doc = doc_attrs(&method_doc_text(ctx, m, &required));
    let deprecated = m.deprecated.then(|| quote!(#[deprecated]));
    let args = required.iter().map(|p| {
        let (name, ty) = (&p.setter, p.arg_ty());
        let cfg = p.cfg.clone();
        quote!(#cfg #name: #ty,)
    });
    let body_arg = body_ty.as_ref().map(|ty| quote!(body: #ty,));
    let inits = required.iter().map(|p| {
        let (field, value) = (&p.field, p.convert());
        let cfg = p.cfg.clone();
        quote!(#cfg #field: #value,)
    });
    let opt_inits = optional.iter().map(|p| {
        let field = &p.field;
        let cfg = p.cfg.clone();
        let empty = if p.p.repeated {
            quote!(Vec::new())
        } else {
            quote!(None)
        };
        quote!(#cfg #field: #empty,)
    });
    let body_init = body_ty.as_ref().map(|_| quote!(body,));
    let client = match owner {
        Owner::Client => {
            quote!(::google_api_runtime::contract::ApiClient::runtime(self).clone())
        }
        Owner::Handle(..) => quote!(self.client.clone()),
    };
    let ctor = quote! {
        #doc
        #ctor_cfg
        #deprecated
        pub fn #fn_name(&self, #(#args)* #body_arg) -> #builder {
            #builder {
                client: #client,
                #(#inits)*
                #body_init
                #(#opt_inits)*
                standard: ::google_api_runtime::StandardParams::default(),
            }
        }
    };

    // The builder.
    let info = format_ident!("{}", m.builder_name.to_shouty_snake_case());
    let made_by = match owner {
        Owner::Client => format!("crate::Client::{}", m.rust_name),
        Owner::Handle(handle, _) => format!("{handle}::{}", m.rust_name),
    };
    let mut ways = vec!["[`send`](Self::send)"];
    if m.media_upload.is_some() {
        ways.push("[`send_media`](Self::send_media) (with media)");
    }
    if m.supports_media_download {
        ways.push("[`fetch_media`](Self::fetch_media) (the media itself)");
    }
    match &m.pagination {
        Some(pg) if pg.items.is_some() => {
            ways.push("[`pages`](Self::pages) or [`stream`](Self::stream) (every page or item)")
        }
        Some(_) => ways.push("[`pages`](Self::pages) (every page)"),
        None => {}
    }
    let then = if optional.is_empty() {
        "Call"
    } else {
        "Set optional parameters with its setters, then call"
    };
    let builder_doc = doc_attrs(&format!(
        "Request builder of `{}` (`{} {}`), made by [`{made_by}`].\n\n{then} {}.",
        m.id,
        m.http_method,
        m.path,
        ways.join(", or ")
    ));
    let fields = params.iter().map(|p| {
        let (field, ty) = (&p.field, p.field_ty());
        let cfg = p.cfg.clone();
        quote!(#cfg #field: #ty,)
    });
    let body_field = body_ty.as_ref().map(|ty| quote!(body: #ty,));
    let setters = optional.iter().map(|p| {
        let doc = doc_attrs(&p.doc_text(ctx));
        let (setter, field, ty, value) = (&p.setter, &p.field, p.arg_ty(), p.convert());
        let cfg = p.cfg.clone();
        let value = if p.p.repeated {
            value
        } else {
            quote!(Some(#value))
        };
        quote! {
            #doc
            #cfg
            pub fn #setter(mut self, #setter: #ty) -> Self {
                self.#field = #value;
                self
            }
        }
    });
    let applies = params.iter().map(Param::apply);
    let body_apply = body_ty.as_ref().map(|_| quote!(req.json_body(&self.body);));
    let id = &m.id;
    let path = &m.path;
    let method_const = http_method(m)?;
    let scopes = &m.scopes;
    let upload_info = match &m.media_upload {
        Some(u) => {
            let simple = opt_str(u.simple_path.as_deref());
            let resumable = opt_str(u.resumable_path.as_deref());
            let max = match u.max_size {
                Some(n) => quote!(Some(#n)),
                None => quote!(None),
            };
            let accept = &u.accept;
            quote!(Some(::google_api_runtime::contract::UploadInfo {
                simple_path: #simple,
                resumable_path: #resumable,
                max_size: #max,
                accept: &[#(#accept),*],
            }))
        }
        None => quote!(None),
    };
    let supports_download = m.supports_media_download;
    let use_download_service = m.use_media_download_service;
    let name_forms = m.parameters.iter().filter_map(|p| {
        let form = p.name_template.as_ref()?;
        let cfg = cfg_within(m.availability, p.availability);
        let wire = &p.wire_name;
        Some(quote!(#cfg (#wire, #form)))
    });

    let (resp_ty, send_body) = match &m.response {
        Some(t) => {
            let ty = rust_type(t, Scope::Elsewhere)?;
            (
                ty,
                quote!(::google_api_runtime::contract::execute(&client, req).await),
            )
        }
        None => (
            quote!(()),
            quote!(::google_api_runtime::contract::execute_empty(&client, req).await),
        ),
    };
    let upload = m.media_upload.as_ref().map(|_| {
        quote! {
            /// Sends the request with `media` as the uploaded content (simple, multipart
            /// or resumable upload, as the runtime chooses for its size).
            pub async fn send_media(self, media: ::google_api_runtime::media::UploadMedia) -> ::google_api_runtime::Result<#resp_ty> {
                let (client, req) = self.into_request();
                ::google_api_runtime::contract::execute_upload(&client, req, media).await
            }
        }
    });
    let download = m.supports_media_download.then(|| {
        quote! {
            /// Sends the request with `alt=media` and streams the content instead of
            /// decoding metadata.
            pub async fn fetch_media(self) -> ::google_api_runtime::Result<::google_api_runtime::media::Download> {
                let (client, req) = self.into_request();
                ::google_api_runtime::contract::execute_download(&client, req).await
            }
        }
    });
    let pagination = match &m.pagination {
        Some(pg) => Some(pageable(&builder, &cfg, &resp_ty, pg, &params)?),
        None => None,
    };
    let items = quote! {
        #cfg
        static #info: ::google_api_runtime::contract::MethodInfo = ::google_api_runtime::contract::MethodInfo {
            id: #id,
            http_method: #method_const,
            path: #path,
            scopes: &[#(#scopes),*],
            upload: #upload_info,
            supports_download: #supports_download,
            use_download_service: #use_download_service,
            name_forms: &[#(#name_forms),*],
        };

        #builder_doc
        #cfg
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder {
            client: ::google_api_runtime::Client,
            #(#fields)*
            #body_field
            standard: ::google_api_runtime::StandardParams,
        }

        #cfg
        impl #builder {
            #(#setters)*

            /// Sends the request.
            pub async fn send(self) -> ::google_api_runtime::Result<#resp_ty> {
                let (client, req) = self.into_request();
                #send_body
            }

            #upload
            #download

            fn into_request(self) -> (::google_api_runtime::Client, ::google_api_runtime::contract::ApiRequest) {
                let mut req = ::google_api_runtime::contract::ApiRequest::new(&#info);
                #(#applies)*
                req.standard(&self.standard);
                #body_apply
                (self.client, req)
            }
        }

        #cfg
        impl ::google_api_runtime::WithStandardParams for #builder {
            fn standard_params_mut(&mut self) -> &mut ::google_api_runtime::StandardParams {
                &mut self.standard
            }
        }

        #pagination
    };
    Ok((ctor, items))
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

/// `impl Pageable` and the `pages`/`stream` methods of a list method's builder.
fn pageable(
    builder: &Ident,
    cfg: &TokenStream,
    page_ty: &TokenStream,
    pg: &crate::model::Pagination,
    params: &[Param<'_>],
) -> anyhow::Result<TokenStream> {
    let token = params
        .iter()
        .find(|p| p.p.rust_name == pg.page_token_param)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{builder}: no page token parameter {:?}",
                pg.page_token_param
            )
        })?;
    let token_field = &token.field;
    // A required page token (Drive's `changes.list`) is a plain field.
    let token_value = if token.p.required {
        quote!(token)
    } else {
        quote!(Some(token))
    };
    let next = ident(&pg.next_page_token_field)?;
    let stream = match &pg.items {
        Some(items) => {
            let field = ident(&items.field)?;
            let item_ty = rust_type(&items.item_type, Scope::Elsewhere)?;
            quote! {
                #cfg
                impl #builder {
                    /// Every item of every page, fetched lazily page after page.
                    pub fn stream(self) -> impl ::google_api_runtime::contract::Stream<Item = ::google_api_runtime::Result<#item_ty>> + Send {
                        ::google_api_runtime::contract::pagination::items(self)
                    }
                }

                #cfg
                impl ::google_api_runtime::PageItems for #builder {
                    type Item = #item_ty;

                    fn page_items(page: Self::Page) -> Vec<Self::Item> {
                        page.#field
                    }
                }
            }
        }
        None => TokenStream::new(),
    };
    Ok(quote! {
        #cfg
        impl #builder {
            /// Every page of the response, fetched lazily one after the other.
            pub fn pages(self) -> impl ::google_api_runtime::contract::Stream<Item = ::google_api_runtime::Result<#page_ty>> + Send {
                ::google_api_runtime::contract::pagination::pages(self)
            }
        }

        #cfg
        impl ::google_api_runtime::Pageable for #builder {
            type Page = #page_ty;

            fn set_page_token(&mut self, token: String) {
                self.#token_field = #token_value;
            }

            fn fetch_page(self) -> impl std::future::Future<Output = ::google_api_runtime::Result<Self::Page>> + Send {
                self.send()
            }

            fn next_page_token(page: &Self::Page) -> Option<&str> {
                page.#next.as_deref()
            }
        }

        #stream
    })
}
