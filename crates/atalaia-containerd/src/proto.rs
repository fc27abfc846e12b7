//! The few containerd API messages this client sends and receives, as prost structs written by
//! hand from containerd's `.proto` files (`api/services/{images,content,namespaces}/v1/*.proto`,
//! `api/types/descriptor.proto`; the same field numbers since containerd 1.0). Fields this client
//! never reads are left out: protobuf decoders skip unknown fields, so that loses nothing.

use std::collections::HashMap;

/// `containerd.types.Descriptor`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Descriptor {
    /// `string media_type = 1`.
    #[prost(string, tag = "1")]
    pub(crate) media_type: String,
    /// `string digest = 2`.
    #[prost(string, tag = "2")]
    pub(crate) digest: String,
    /// `int64 size = 3`.
    #[prost(int64, tag = "3")]
    pub(crate) size: i64,
    /// `map<string, string> annotations = 5`.
    #[prost(map = "string, string", tag = "5")]
    pub(crate) annotations: HashMap<String, String>,
}

/// `containerd.services.images.v1.Image`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Image {
    /// `string name = 1`.
    #[prost(string, tag = "1")]
    pub(crate) name: String,
    /// `map<string, string> labels = 2`.
    #[prost(map = "string, string", tag = "2")]
    pub(crate) labels: HashMap<String, String>,
    /// `containerd.types.Descriptor target = 3`.
    #[prost(message, optional, tag = "3")]
    pub(crate) target: Option<Descriptor>,
}

/// `containerd.services.images.v1.GetImageRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct GetImageRequest {
    /// `string name = 1`.
    #[prost(string, tag = "1")]
    pub(crate) name: String,
}

/// `containerd.services.images.v1.GetImageResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct GetImageResponse {
    /// `Image image = 1`.
    #[prost(message, optional, tag = "1")]
    pub(crate) image: Option<Image>,
}

/// `containerd.services.images.v1.ListImagesRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ListImagesRequest {
    /// `repeated string filters = 1`.
    #[prost(string, repeated, tag = "1")]
    pub(crate) filters: Vec<String>,
}

/// `containerd.services.images.v1.ListImagesResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ListImagesResponse {
    /// `repeated Image images = 1`.
    #[prost(message, repeated, tag = "1")]
    pub(crate) images: Vec<Image>,
}

/// `containerd.services.content.v1.ReadContentRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ReadContentRequest {
    /// `string digest = 1`.
    #[prost(string, tag = "1")]
    pub(crate) digest: String,
    /// `int64 offset = 2`.
    #[prost(int64, tag = "2")]
    pub(crate) offset: i64,
    /// `int64 size = 3` (0: to the end).
    #[prost(int64, tag = "3")]
    pub(crate) size: i64,
}

/// `containerd.services.content.v1.ReadContentResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ReadContentResponse {
    /// `int64 offset = 1`: where `data` starts in the blob.
    #[prost(int64, tag = "1")]
    pub(crate) offset: i64,
    /// `bytes data = 2`.
    #[prost(bytes = "bytes", tag = "2")]
    pub(crate) data: bytes::Bytes,
}

/// `containerd.services.namespaces.v1.Namespace`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct Namespace {
    /// `string name = 1`.
    #[prost(string, tag = "1")]
    pub(crate) name: String,
}

/// `containerd.services.namespaces.v1.ListNamespacesRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ListNamespacesRequest {
    /// `string filter = 1`.
    #[prost(string, tag = "1")]
    pub(crate) filter: String,
}

/// `containerd.services.namespaces.v1.ListNamespacesResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub(crate) struct ListNamespacesResponse {
    /// `repeated Namespace namespaces = 1`.
    #[prost(message, repeated, tag = "1")]
    pub(crate) namespaces: Vec<Namespace>,
}

/// The gRPC method paths.
pub(crate) mod method {
    /// `Images.Get`.
    pub(crate) const IMAGES_GET: &str = "/containerd.services.images.v1.Images/Get";
    /// `Images.List`.
    pub(crate) const IMAGES_LIST: &str = "/containerd.services.images.v1.Images/List";
    /// `Content.Read` (server streaming).
    pub(crate) const CONTENT_READ: &str = "/containerd.services.content.v1.Content/Read";
    /// `Namespaces.List`.
    pub(crate) const NAMESPACES_LIST: &str = "/containerd.services.namespaces.v1.Namespaces/List";
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn decodes_what_containerd_encodes() {
        // GetImageResponse{image: {name: "a", target: {media_type: "m", digest: "d", size: 5}}},
        // encoded by hand, with an unknown field (created_at = 7) that must be skipped.
        let desc = [
            0x0a, 1, b'm', // media_type
            0x12, 1, b'd', // digest
            0x18, 5, // size
        ];
        let mut image = vec![0x0a, 1, b'a', 0x1a, desc.len() as u8];
        image.extend_from_slice(&desc);
        image.extend_from_slice(&[0x3a, 2, 0x08, 1]); // created_at {seconds: 1}
        let mut resp = vec![0x0a, image.len() as u8];
        resp.extend_from_slice(&image);
        let got = GetImageResponse::decode(resp.as_slice()).unwrap();
        let img = got.image.unwrap();
        assert_eq!(img.name, "a");
        let t = img.target.unwrap();
        assert_eq!(
            (t.media_type.as_str(), t.digest.as_str(), t.size),
            ("m", "d", 5)
        );
    }

    #[test]
    fn malformed_messages_are_errors() {
        // Truncated length-delimited field, bad wire type, overlong varint, invalid UTF-8.
        for bad in [
            &[0x0a, 10, b'a'][..],
            &[0x0f][..],
            &[
                0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ][..],
            &[0x0a, 2, 0xff, 0xfe][..],
        ] {
            assert!(Descriptor::decode(bad).is_err(), "{bad:?} decoded");
        }
        assert!(ReadContentResponse::decode(&[0x12, 5, 1][..]).is_err());
    }
}
