// The vendor's Node SDK core, driven the way its generated service clients drive it. Only
// the core is installed (no @huaweicloud/huaweicloud-sdk-evs), so this builds an HcClient
// with core's ClientBuilder and sends the request options an EVS service client would.
// The package's main entry exports only credentials and regions; service clients reach
// ClientBuilder and the signer through sub-paths, and so does this module.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { BasicCredentials } = require("@huaweicloud/huaweicloud-sdk-core");
const { ClientBuilder } = require("@huaweicloud/huaweicloud-sdk-core/ClientBuilder");
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");
const {
  HttpRequestBuilder,
} = require("@huaweicloud/huaweicloud-sdk-core/http/IHttpRequestBuilder");

export function vendorCredentials({ accessKey, secretKey, projectId }) {
  return new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId);
}

/** Returns `list(query)`: a signed native-family list request, answered as parsed JSON. */
export function vendorListClient({ endpoint, ...credentials }) {
  const client = new ClientBuilder((hcClient) => hcClient)
    .withEndpoint(endpoint)
    .withCredential(vendorCredentials(credentials))
    .build();
  return (queryParams) =>
    client.sendRequest({
      method: "GET",
      url: "/v2/{project_id}/cloudsnapshots/detail",
      contentType: "application/json",
      pathParams: {},
      queryParams,
      headers: {},
    });
}

/** Signs one GET of the native list with the vendor's AKSKSigner (what processAuthRequest calls). */
export function vendorSigner({ endpoint, ...credentials }) {
  const credential = vendorCredentials(credentials);
  const url = `/v2/${credentials.projectId}/cloudsnapshots/detail`;
  return () =>
    AKSKSigner.sign(
      new HttpRequestBuilder()
        .withEndpoint(`${endpoint}${url}`)
        .withUrl(url)
        .withMethod("GET")
        .withQueryParams({ limit: 50 })
        .withHeaders({ "content-type": "application/json", "X-Project-Id": credentials.projectId })
        .build(),
      credential,
    );
}
