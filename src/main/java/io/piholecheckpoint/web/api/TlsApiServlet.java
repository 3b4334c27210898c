package io.piholecheckpoint.web.api;

import io.piholecheckpoint.core.gateway.CertificateProbe;
import io.piholecheckpoint.core.gateway.PiholeException;
import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Json;
import io.piholecheckpoint.web.Paths;
import io.piholecheckpoint.web.QueryParameters;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** {@code GET /api/v1/tls/certificate?url=https://…}: the certificate a Pi-hole presents, to pin it. */
public final class TlsApiServlet extends JsonApiServlet {
  /** The addresses it serves and their methods (see {@link Routes}). */
  public static final List<String> ROUTES = List.of(
      "GET /api/v1/tls/certificate");
  private final CertificateProbe probe;

  public TlsApiServlet(CertificateProbe probe, Json json) {
    super(json);
    this.probe = probe;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String url = QueryParameters.of(request, "url").text("url");
    if (!Paths.is(request, "certificate")) {
      json.error(response, 404, "not_found", "GET /api/v1/tls/certificate?url=https://…");
      return;
    }
    try {
      CertificateProbe.ServerCertificate c = probe.fetch(url);
      json.write(response, 200, new ApiModels.CertificateJson(c.sha256(), c.subject(), c.issuer(), c.notAfter(), c.selfSigned()));
    } catch (PiholeException e) {
      ApiErrors.write(HttpErrors.ofCertificateProbe(e), response, json);
    }
  }
}
