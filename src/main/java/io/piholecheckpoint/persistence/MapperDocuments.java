package io.piholecheckpoint.persistence;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.validation.Schema;
import org.apache.ibatis.builder.xml.XMLMapperEntityResolver;
import org.w3c.dom.DOMImplementation;
import org.w3c.dom.Document;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The DOM parser MyBatis reads its mapper files with ({@link #whileParsing}): the JDK's, except that a document parsed with
 * MyBatis's own entity resolver (a mapper file) is read without its DTD. MyBatis validates every mapper against
 * mybatis-3-mapper.dtd, read and compiled again for each of the 16 files: ~12 % of the parse's CPU, on the parse that the
 * start's first read waits for (bench/RESULTS.md, r51-start). The DTD declares no default attribute and no entity, so the document is the same
 * without it; that our mapper files are valid is this build's, checked by MapperDocumentsTest against the DTD, not at each start.
 * Any other document, and any other use of this factory, is the JDK's as asked.
 */
public final class MapperDocuments extends DocumentBuilderFactory {
  /** The system property by which {@link DocumentBuilderFactory#newInstance()} picks a factory (JAXP's own name). */
  static final String PROPERTY = DocumentBuilderFactory.class.getName();
  private static final String LOAD_EXTERNAL_DTD = "http://apache.org/xml/features/nonvalidating/load-external-dtd";

  private final Map<String, Boolean> features = new HashMap<>();
  private final Map<String, Object> attributes = new HashMap<>();
  /** Kept here: JAXP's base class refuses these two unless a subclass keeps them. */
  private boolean xIncludeAware;
  private Schema schema;

  /** Public, as the factory finder makes it by reflection. */
  public MapperDocuments() {
  }

  /**
   * Runs {@code parse} with this as the factory of {@code DocumentBuilderFactory.newInstance()} (MyBatis's XPathParser makes its
   * parser from there and offers no other way), unless one was named already; as {@link MapperXPathFactory#whileParsing}.
   */
  static <T> T whileParsing(Supplier<T> parse) {
    return JaxpFactories.whileNamed(PROPERTY, MapperDocuments.class, parse);
  }

  @Override
  public DocumentBuilder newDocumentBuilder() throws ParserConfigurationException {
    // the settings as they are now: a parser is not changed by later settings of its factory
    return new Deciding(jdk(false), jdk(true));
  }

  /**
   * The JDK's factory with this one's settings; for a mapper file without validation and without the external DTD (a parser
   * that does not validate still reads it, for default attributes and entities, unless told not to).
   */
  private DocumentBuilderFactory jdk(boolean mapperFile) throws ParserConfigurationException {
    DocumentBuilderFactory jdk = DocumentBuilderFactory.newDefaultInstance();
    jdk.setValidating(isValidating() && !mapperFile);
    jdk.setNamespaceAware(isNamespaceAware());
    jdk.setIgnoringComments(isIgnoringComments());
    jdk.setIgnoringElementContentWhitespace(isIgnoringElementContentWhitespace());
    jdk.setCoalescing(isCoalescing());
    jdk.setExpandEntityReferences(isExpandEntityReferences());
    jdk.setXIncludeAware(xIncludeAware);
    jdk.setSchema(schema);
    for (Map.Entry<String, Boolean> feature : features.entrySet()) {
      jdk.setFeature(feature.getKey(), feature.getValue());
    }
    attributes.forEach(jdk::setAttribute);
    if (mapperFile) {
      jdk.setFeature(LOAD_EXTERNAL_DTD, false);
    }
    return jdk;
  }

  @Override
  public void setXIncludeAware(boolean state) {
    xIncludeAware = state;
  }

  @Override
  public boolean isXIncludeAware() {
    return xIncludeAware;
  }

  @Override
  public void setSchema(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Schema getSchema() {
    return schema;
  }

  @Override
  public void setAttribute(String name, Object value) {
    DocumentBuilderFactory.newDefaultInstance().setAttribute(name, value); // refused here as the JDK refuses it
    attributes.put(name, value);
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.containsKey(name) ? attributes.get(name) : DocumentBuilderFactory.newDefaultInstance().getAttribute(name);
  }

  @Override
  public void setFeature(String name, boolean value) throws ParserConfigurationException {
    DocumentBuilderFactory.newDefaultInstance().setFeature(name, value);
    features.put(name, value);
  }

  @Override
  public boolean getFeature(String name) throws ParserConfigurationException {
    return features.containsKey(name) ? features.get(name) : DocumentBuilderFactory.newDefaultInstance().getFeature(name);
  }

  /**
   * A parser that makes the JDK's at the parse, when the entity resolver is known (MyBatis sets it after making the parser):
   * MyBatis's resolver means a mapper file, read without its DTD; any other document is read as the factory was asked.
   */
  private static final class Deciding extends DocumentBuilder {
    private final DocumentBuilderFactory asAsked;
    private final DocumentBuilderFactory mapperFile;
    private EntityResolver resolver;
    private ErrorHandler handler;

    Deciding(DocumentBuilderFactory asAsked, DocumentBuilderFactory mapperFile) {
      this.asAsked = asAsked;
      this.mapperFile = mapperFile;
    }

    @Override
    public Document parse(InputSource source) throws SAXException, IOException {
      DocumentBuilder jdk = jdk(resolver instanceof XMLMapperEntityResolver ? mapperFile : asAsked);
      jdk.setEntityResolver(resolver);
      jdk.setErrorHandler(handler);
      return jdk.parse(source);
    }

    private static DocumentBuilder jdk(DocumentBuilderFactory factory) {
      try {
        return factory.newDocumentBuilder();
      } catch (ParserConfigurationException e) {
        throw new IllegalStateException("the JDK's DOM parser refused settings it took when they were set: " + e.getMessage(), e);
      }
    }

    @Override
    public boolean isNamespaceAware() {
      return asAsked.isNamespaceAware();
    }

    @Override
    public boolean isValidating() {
      return asAsked.isValidating();
    }

    @Override
    public void setEntityResolver(EntityResolver resolver) {
      this.resolver = resolver;
    }

    @Override
    public void setErrorHandler(ErrorHandler handler) {
      this.handler = handler;
    }

    @Override
    public Document newDocument() {
      return jdk(asAsked).newDocument();
    }

    @Override
    public DOMImplementation getDOMImplementation() {
      return jdk(asAsked).getDOMImplementation();
    }
  }
}
