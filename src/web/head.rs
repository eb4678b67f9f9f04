//! `HEAD` is `GET` without the body (RFC 9110 §9.3.2): monitors, link checkers and `curl -I` use
//! it. Routes are declared for GET only, so a HEAD request is routed as a GET; the HTTP layer
//! still knows the request was HEAD and sends the headers (with the GET's `Content-Length`)
//! without the body.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

pub async fn head_as_get<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
