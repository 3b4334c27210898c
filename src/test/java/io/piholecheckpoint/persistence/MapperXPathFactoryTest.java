package io.piholecheckpoint.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** MyBatis's element paths over the mapper files find what the JDK's XPath finds, in the same order; the rest is the JDK's. */
class MapperXPathFactoryTest {
  /** Every path MyBatis 3.5's XMLMapperBuilder and XMLStatementBuilder ask of a mapper file. */
  private static final List<String> MYBATIS_PATHS = List.of("/mapper", "cache-ref", "cache", "/mapper/parameterMap", "/mapper/resultMap",
      "/mapper/sql", "select|insert|update|delete", "selectKey");

  private final XPath ours = new MapperXPathFactory().newXPath();
  private final XPath jdk = XPathFactory.newDefaultInstance().newXPath();

  @Test
  void findsInEveryMapperFileWhatTheJdksXPathFinds() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("src/main/resources/io/piholecheckpoint/persistence"))) {
      files = walk.filter(f -> f.toString().endsWith("Mapper.xml")).toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(16);
    int compared = 0;
    for (Path file : files) {
      Document document = parse(Files.readString(file), false);
      // where MyBatis asks from: the document, the mapper, each of its elements (the statements)
      List<Node> contexts = new ArrayList<>(List.of(document, document.getDocumentElement()));
      for (Node child = document.getDocumentElement().getFirstChild(); child != null; child = child.getNextSibling()) {
        contexts.add(child);
      }
      for (Node context : contexts) {
        for (String path : MYBATIS_PATHS) {
          assertSame(path, context);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(500);
  }

  @Test
  void aUnionIsInDocumentOrderAndEachNodeOnce() throws Exception {
    Document document = parse("<mapper><update id='1'/><select id='2'><selectKey/></select><update id='3'/><delete id='4'/>"
        + "<sql><select id='inner'/></sql><insert id='5'/></mapper>", false);
    Node mapper = document.getDocumentElement();

    for (String path : List.of("select|insert|update|delete", "delete | update|select|update", "/mapper/update|/mapper/select|sql/select",
        "sql|/mapper|select/selectKey")) {
      assertSame(path, mapper);
    }
    assertThat(ids((NodeList) ours.evaluate("select|insert|update|delete", mapper, XPathConstants.NODESET))).containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void matchesOnlyElementsOfNoNamespaceAsANameTestWithoutPrefixDoes() throws Exception {
    Document document = parse("<mapper xmlns:x='urn:x'><x:select id='prefixed'/><select id='plain'/>"
        + "<select xmlns='urn:y' id='defaulted'/></mapper>", true);

    assertSame("select", document.getDocumentElement());
    assertThat(ids((NodeList) ours.evaluate("select", document.getDocumentElement(), XPathConstants.NODESET))).containsExactly("plain");
  }

  @Test
  void leavesEveryOtherExpressionAndResultToTheJdksXPath() throws Exception {
    Document document = parse("<mapper a='1'><select id='1'>one</select><select id='2'>two</select><sql/></mapper>", false);
    Node mapper = document.getDocumentElement();

    for (String expression : List.of("select[2]", "//select", "*", "@a", "./select", "select/text()", "/", "", "sql|", "x:select")) {
      for (QName type : List.of(XPathConstants.NODE, XPathConstants.NODESET)) {
        Object theirs;
        try {
          theirs = jdk.evaluate(expression, mapper, type);
        } catch (javax.xml.xpath.XPathExpressionException refused) {
          org.assertj.core.api.Assertions.assertThatThrownBy(() -> ours.evaluate(expression, mapper, type)).as(expression)
              .isInstanceOf(javax.xml.xpath.XPathExpressionException.class);
          continue;
        }
        assertThat(nodes(ours.evaluate(expression, mapper, type))).as(expression).isEqualTo(nodes(theirs));
      }
    }
    assertThat(ours.evaluate("count(select)", mapper, XPathConstants.NUMBER)).isEqualTo(2.0);
    assertThat(ours.evaluate("select", mapper, XPathConstants.STRING)).isEqualTo("one");
    assertThat(ours.evaluate("select", mapper)).isEqualTo("one");
    assertThat(ours.evaluate("/mapper/select[2]", new InputSource(new StringReader("<mapper><select>a</select><select>b</select></mapper>"))))
        .isEqualTo("b");
  }

  @Test
  void itIsTheJvmsXPathWhileTheMappersAreParsedAndNoneIsNamedAfterwards(@TempDir Path dir) {
    assertThat(System.getProperty(MapperXPathFactory.PROPERTY)).isNull();

    XPathFactory during = MapperXPathFactory.whileParsing(XPathFactory::newInstance);

    assertThat(during).isInstanceOf(MapperXPathFactory.class);
    assertThat(System.getProperty(MapperXPathFactory.PROPERTY)).as("another web app of the container gets the JDK's").isNull();
    assertThat(XPathFactory.newInstance()).isNotInstanceOf(MapperXPathFactory.class);
    try (Database database = Database.open(dir.resolve("checkpoint.db"))) {
      database.pool(); // the mappers are parsed for the pool's sessions, once per JVM
      assertThat(System.getProperty(MapperXPathFactory.PROPERTY)).isNull();
    }
  }

  @Test
  void anXPathNamedBeforeIsLeftAsItWas() {
    String theirs = XPathFactory.newDefaultInstance().getClass().getName();
    System.setProperty(MapperXPathFactory.PROPERTY, theirs);
    try {
      XPathFactory during = MapperXPathFactory.whileParsing(XPathFactory::newInstance);
      assertThat(during).isNotInstanceOf(MapperXPathFactory.class);
      assertThat(System.getProperty(MapperXPathFactory.PROPERTY)).isEqualTo(theirs);
    } finally {
      System.clearProperty(MapperXPathFactory.PROPERTY);
    }
  }

  private void assertSame(String path, Node context) throws Exception {
    for (QName type : List.of(XPathConstants.NODE, XPathConstants.NODESET)) {
      assertThat(nodes(ours.evaluate(path, context, type))).as("%s from %s as %s", path, context.getNodeName(), type.getLocalPart())
          .isEqualTo(nodes(jdk.evaluate(path, context, type)));
    }
  }

  /** The nodes themselves (identity, order), of a NODE or NODESET result. */
  private static List<Node> nodes(Object result) {
    List<Node> nodes = new ArrayList<>();
    if (result instanceof NodeList list) {
      for (int i = 0; i < list.getLength(); i++) {
        nodes.add(list.item(i));
      }
    } else if (result instanceof Node node) {
      nodes.add(node);
    }
    return nodes; // the DOM's nodes are equal only to themselves
  }

  private static List<String> ids(NodeList list) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      ids.add(((org.w3c.dom.Element) list.item(i)).getAttribute("id"));
    }
    return ids;
  }

  private static Document parse(String xml, boolean namespaceAware) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(namespaceAware);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
