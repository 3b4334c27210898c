package io.piholecheckpoint.offsite.webdav;

import io.piholecheckpoint.core.offsite.remote.DestinationException;
import io.piholecheckpoint.core.offsite.remote.DestinationException.Problem;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A PROPFIND answer (RFC 4918 multistatus), read as a stream. It comes from the network, so the
 * parser resolves no DTD and no entity (no file or URL is ever read on its behalf), and the
 * answer is bounded in bytes: a hostile or broken server gets a clear failure, not the heap.
 */
final class Multistatus {
  /** Far above a folder of thousands of archives (rclone and Nextcloud spend well under 1 KiB each). */
  static final long MAX_BYTES = 8L * 1024 * 1024;
  private static final int MAX_TEXT = 8 * 1024;
  /** What {@link #MAX_BYTES} holds at ~400 bytes an entry; a flood of tiny entries stops here. */
  static final int MAX_ENTRIES = 20_000;
  private static final String DAV = "DAV:";

  /**
   * One resource of the answer.
   *
   * @param path its URL's path, decoded
   * @param size -1 for a folder or when not given
   * @param modified null when not given or not readable
   */
  record Entry(String path, boolean folder, long size, Instant modified) {
  }

  private Multistatus() {
  }

  /** @param what the request, for messages */
  static List<Entry> read(InputStream body, String what) throws DestinationException {
    XMLStreamReader xml = null;
    try {
      xml = factory().createXMLStreamReader(new Bounded(body, what));
      Parse parse = new Parse();
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.DTD) {
          throw new XMLStreamException("a document type declaration, which no WebDAV server sends");
        }
        if (event == XMLStreamConstants.START_ELEMENT && DAV.equals(xml.getNamespaceURI())) {
          parse.start(xml);
        } else if (event == XMLStreamConstants.END_ELEMENT && DAV.equals(xml.getNamespaceURI())) {
          parse.end(xml.getLocalName());
        }
      }
      return parse.entries;
    } catch (XMLStreamException | IllegalArgumentException e) { // NumberFormatException is one
      DestinationException cause = causeOf(e);
      if (cause != null) {
        throw cause;
      }
      String at = xml == null || xml.getLocation() == null ? "" : " (line " + xml.getLocation().getLineNumber() + ")";
      throw new DestinationException(Problem.FAILED, "the answer to " + what + " is not a WebDAV listing" + at
          + "; is the URL that of a WebDAV folder?", e);
    } finally {
      close(xml);
    }
  }

  private static XMLInputFactory factory() {
    // the JDK's own parser whatever else is on the class path, with everything that reads elsewhere off
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external entity refused: " + systemId);
    });
    return factory;
  }

  private static String text(XMLStreamReader xml) throws XMLStreamException {
    String text = xml.getElementText();
    if (text.length() > MAX_TEXT) {
      throw new XMLStreamException("a value longer than " + MAX_TEXT + " characters");
    }
    return text;
  }

  /** The path of an href, which servers give as a full URL or an absolute path, percent-encoded. */
  private static String path(String href) {
    String raw = href.strip();
    if (!raw.startsWith("/")) {
      raw = URI.create(raw).getRawPath();
    }
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** An HTTP date (RFC 1123), as getlastmodified and Last-Modified hold it; null when unreadable. */
  static Instant instant(String text) {
    try {
      return ZonedDateTime.parse(text.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null; // a date is for display; an odd one does not make the object unusable
    }
  }

  /** The parser wraps what the body stream threw: the answer's size limit is reported as itself. */
  private static DestinationException causeOf(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 8; depth++) {
      if (t instanceof DestinationException d) {
        return d;
      }
      t = t instanceof XMLStreamException x && x.getNestedException() != null ? x.getNestedException() : t.getCause();
    }
    return null;
  }

  private static void close(XMLStreamReader xml) {
    if (xml != null) {
      try {
        xml.close();
      } catch (XMLStreamException e) {
        // nothing held but the body, which the caller closes
      }
    }
  }

  /** The elements of RFC 4918 that matter here; a propstat counts only with a 2xx status. */
  private static final class Parse {
    private final List<Entry> entries = new ArrayList<>();
    private Props response;
    private Props props;

    void start(XMLStreamReader xml) throws XMLStreamException {
      switch (xml.getLocalName()) {
        case "response" -> response = new Props();
        case "propstat" -> props = new Props();
        case "href" -> {
          if (response != null) {
            response.path = path(text(xml));
          }
        }
        case "status" -> {
          if (props != null) {
            props.ok = text(xml).strip().matches("HTTP/\\S+ 2\\d\\d( .*)?");
          }
        }
        case "collection" -> {
          if (props != null) {
            props.folder = true;
          }
        }
        case "getcontentlength" -> {
          if (props != null) {
            String size = text(xml).strip();
            props.size = size.isEmpty() ? -1 : Long.parseLong(size); // rclone gives folders an empty one
          }
        }
        case "getlastmodified" -> {
          if (props != null) {
            props.modified = instant(text(xml));
          }
        }
        default -> { }
      }
    }

    void end(String element) throws XMLStreamException {
      if (element.equals("propstat") && response != null && props != null && props.ok) {
        response.take(props);
      } else if (element.equals("response") && response != null && response.path != null && response.ok) {
        if (entries.size() == MAX_ENTRIES) {
          throw new XMLStreamException("more than " + MAX_ENTRIES + " entries");
        }
        entries.add(new Entry(response.path, response.folder, response.folder ? -1 : response.size, response.modified));
      }
      if (element.equals("propstat")) {
        props = null;
      } else if (element.equals("response")) {
        response = null;
      }
    }
  }

  private static final class Props {
    private String path;
    private boolean ok;
    private boolean folder;
    private long size = -1;
    private Instant modified;

    /** A resource counts once a propstat with a 2xx status gave its properties. */
    void take(Props found) {
      ok = true;
      folder |= found.folder;
      size = found.size >= 0 ? found.size : size;
      modified = found.modified != null ? found.modified : modified;
    }
  }

  /** Fails once the answer passes {@link #MAX_BYTES}. */
  private static final class Bounded extends FilterInputStream {
    private final String what;
    private long read;

    Bounded(InputStream in, String what) {
      super(in);
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      read += Math.max(n, 0);
      if (read > MAX_BYTES) {
        throw new DestinationException(Problem.FAILED, "the answer to " + what + " is larger than " + MAX_BYTES / 1024 / 1024
            + " MiB; a folder of the destination holds far more than Checkpoint writes, or the server is broken");
      }
      return n;
    }
  }
}
