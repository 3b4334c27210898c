package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.ibatis.builder.xml.XMLMapperEntityResolver;
import org.apache.ibatis.io.Resources;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.EntityResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/** Mapper files are read without their DTD, to the same document; their validity is checked here, against it; other documents are the JDK's. */
class MapperDocumentsTest {
  private static final String DTD = "org/apache/ibatis/builder/xml/mybatis-3-mapper.dtd";

  @Test
  void everyMapperFileIsValidAgainstMyBatisDtd() throws Exception {
    for (Path file : mapperFiles()) {
      DocumentBuilder validating = asMyBatisAsks(DocumentBuilderFactory.newDefaultInstance());
      validating.setEntityResolver(new XMLMapperEntityResolver());

      assertThat(validating.parse(file.toFile())).as(file.toString()).isNotNull(); // the error handler throws on any error
    }
  }

  @Test
  void aMapperFileReadWithoutItsDtdIsTheSameDocument() throws Exception {
    for (Path file : mapperFiles()) {
      DocumentBuilder jdk = asMyBatisAsks(DocumentBuilderFactory.newDefaultInstance());
      jdk.setEntityResolver(new XMLMapperEntityResolver());
      DocumentBuilder ours = asMyBatisAsks(new MapperDocuments());
      ours.setEntityResolver(new XMLMapperEntityResolver());

      Document withDtd = jdk.parse(file.toFile());
      Document without = ours.parse(file.toFile());

      assertThat(without.getDocumentElement().isEqualNode(withDtd.getDocumentElement())).as(file.toString()).isTrue();
    }
  }

  @Test
  void aMapperFileIsReadWithoutAskingForItsDtd() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    DocumentBuilder ours = asMyBatisAsks(new MapperDocuments());
    ours.setEntityResolver(new XMLMapperEntityResolver() {
      @Override
      public InputSource resolveEntity(String publicId, String systemId) throws org.xml.sax.SAXException {
        asked.incrementAndGet();
        return super.resolveEntity(publicId, systemId);
      }
    });

    ours.parse(mapperFiles().get(0).toFile());

    assertThat(asked).hasValue(0);
  }

  @Test
  void anyOtherDocumentIsValidatedAsAsked() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    EntityResolver another = (publicId, systemId) -> {
      asked.incrementAndGet();
      return new InputSource(new ByteArrayInputStream("<!ELEMENT note EMPTY>".getBytes(StandardCharsets.UTF_8)));
    };
    DocumentBuilder ours = asMyBatisAsks(new MapperDocuments());
    ours.setEntityResolver(another);
    String invalid = "<?xml version=\"1.0\"?><!DOCTYPE note SYSTEM \"note.dtd\"><note><body/></note>";

    assertThatThrownBy(() -> ours.parse(new ByteArrayInputStream(invalid.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(SAXParseException.class);
    assertThat(asked).hasValue(1);
    assertThat(ours.isValidating()).isTrue();
  }

  @Test
  void itIsTheJvmsFactoryWhileTheMappersAreParsedAndNoneIsNamedAfterwards() {
    assertThat(System.getProperty(MapperDocuments.PROPERTY)).isNull();

    DocumentBuilderFactory during = MapperDocuments.whileParsing(DocumentBuilderFactory::newInstance);

    assertThat(during).isInstanceOf(MapperDocuments.class);
    assertThat(System.getProperty(MapperDocuments.PROPERTY)).as("another web app of the container gets the JDK's").isNull();
    assertThat(DocumentBuilderFactory.newInstance()).isNotInstanceOf(MapperDocuments.class);
  }

  @Test
  void theMappersAreParsedWithoutReadingTheDtd() {
    AtomicInteger dtdReads = new AtomicInteger();
    ClassLoader app = MapperDocumentsTest.class.getClassLoader();
    // MyBatis's resolver reads the DTD through Resources, which asks its default class loader first
    Resources.setDefaultClassLoader(new ClassLoader(app) {
      @Override
      public URL getResource(String name) {
        if (name.equals(DTD)) {
          dtdReads.incrementAndGet();
        }
        return super.getResource(name);
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        if (name.equals(DTD)) {
          dtdReads.incrementAndGet();
        }
        return super.getResourceAsStream(name);
      }
    });
    try {
      // a read limit no other test uses: a parse of its own, not the JVM's shared one
      Mappers.prepare(Dialect.SQLITE, Duration.ofMillis(4_321));
    } finally {
      Resources.setDefaultClassLoader(null);
    }

    assertThat(dtdReads).hasValue(0);
    assertThat(System.getProperty(MapperDocuments.PROPERTY)).isNull();
  }

  /** A parser made as MyBatis's XPathParser makes a validating one (3.5), its error handler throwing on anything. */
  private static DocumentBuilder asMyBatisAsks(DocumentBuilderFactory factory) throws Exception {
    factory.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setValidating(true);
    factory.setNamespaceAware(false);
    factory.setIgnoringComments(true);
    factory.setIgnoringElementContentWhitespace(false);
    factory.setCoalescing(false);
    factory.setExpandEntityReferences(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new ErrorHandler() {
      @Override
      public void warning(SAXParseException e) throws SAXParseException {
        throw e;
      }

      @Override
      public void error(SAXParseException e) throws SAXParseException {
        throw e;
      }

      @Override
      public void fatalError(SAXParseException e) throws SAXParseException {
        throw e;
      }
    });
    return builder;
  }

  private static List<Path> mapperFiles() throws Exception {
    try (Stream<Path> walk = Files.walk(Path.of("src/main/resources/io/piholecheckpoint/persistence"))) {
      List<Path> files = walk.filter(f -> f.toString().endsWith("Mapper.xml")).sorted().toList();
      assertThat(files).hasSizeGreaterThanOrEqualTo(16);
      return files;
    }
  }
}
