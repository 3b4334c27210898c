package io.piholecheckpoint.persistence;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.xml.namespace.NamespaceContext;
import javax.xml.namespace.QName;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import javax.xml.xpath.XPathFactoryConfigurationException;
import javax.xml.xpath.XPathFunctionResolver;
import javax.xml.xpath.XPathVariableResolver;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The XPath MyBatis reads its mapper files with ({@link #whileParsing}): the paths it asks for ({@code /mapper},
 * {@code /mapper/resultMap}, {@code select|insert|update|delete}, {@code selectKey}: element names, slashes and unions)
 * walked over the DOM, as nodes; any other expression or result type goes to the JDK's own XPath, unchanged. The JDK's
 * makes a new evaluation context for every call (two variable stacks of ~50 kB of arrays) and compiles the expression
 * again: the mappers' ~2,000 calls were ~85 MB of garbage, two thirds of a start's young collections, on the parse that
 * the start's first read waits for (bench/RESULTS.md, r49-start).
 */
public final class MapperXPathFactory extends XPathFactory {
  /** The system property by which {@link XPathFactory#newInstance()} picks a factory for DOM (javax.xml.xpath's own name). */
  static final String PROPERTY = "javax.xml.xpath.XPathFactory:" + XPathFactory.DEFAULT_OBJECT_MODEL_URI;
  /** A name test of XPath 1.0 as mapper elements use them: no prefix, no wildcard, no axis, no predicate. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final XPathFactory jdk = XPathFactory.newDefaultInstance();

  /**
   * Runs {@code parse} with this as the DOM XPath of {@code XPathFactory.newInstance()} (MyBatis's XPathParser takes its XPath
   * from there and offers no other way), unless one was named already, and names none again afterwards: the property is the
   * JVM's, and in a servlet container other web apps share it. A parser keeps the XPath it was made with, so what MyBatis
   * resolves after the parse still uses ours; a lookup by another thread during the parse gets ours too, which changes only
   * how these simple paths are found, never what they find.
   */
  static <T> T whileParsing(Supplier<T> parse) {
    return JaxpFactories.whileNamed(PROPERTY, MapperXPathFactory.class, parse);
  }

  /** Public, as the factory finder makes it by reflection. */
  public MapperXPathFactory() {
  }

  @Override
  public boolean isObjectModelSupported(String objectModel) {
    return DEFAULT_OBJECT_MODEL_URI.equals(objectModel);
  }

  @Override
  public void setFeature(String name, boolean value) throws XPathFactoryConfigurationException {
    jdk.setFeature(name, value);
  }

  @Override
  public boolean getFeature(String name) throws XPathFactoryConfigurationException {
    return jdk.getFeature(name);
  }

  @Override
  public void setXPathVariableResolver(XPathVariableResolver resolver) {
    jdk.setXPathVariableResolver(resolver);
  }

  @Override
  public void setXPathFunctionResolver(XPathFunctionResolver resolver) {
    jdk.setXPathFunctionResolver(resolver);
  }

  @Override
  public XPath newXPath() {
    return new ElementPaths(jdk.newXPath());
  }

  /** Element paths found here, everything else by the JDK's XPath. */
  private static final class ElementPaths implements XPath {
    private final XPath jdk;

    ElementPaths(XPath jdk) {
      this.jdk = jdk;
    }

    @Override
    public Object evaluate(String expression, Object item, QName returnType) throws XPathExpressionException {
      if (item instanceof Node context && (XPathConstants.NODE.equals(returnType) || XPathConstants.NODESET.equals(returnType))) {
        List<String[]> paths = paths(expression);
        if (paths != null) {
          List<Node> found = find(context, paths);
          if (XPathConstants.NODE.equals(returnType)) {
            return found.isEmpty() ? null : found.get(0);
          }
          return new Nodes(found);
        }
      }
      return jdk.evaluate(expression, item, returnType);
    }

    @Override
    public String evaluate(String expression, Object item) throws XPathExpressionException {
      return jdk.evaluate(expression, item);
    }

    @Override
    public Object evaluate(String expression, InputSource source, QName returnType) throws XPathExpressionException {
      return jdk.evaluate(expression, source, returnType);
    }

    @Override
    public String evaluate(String expression, InputSource source) throws XPathExpressionException {
      return jdk.evaluate(expression, source);
    }

    @Override
    public XPathExpression compile(String expression) throws XPathExpressionException {
      return jdk.compile(expression);
    }

    @Override
    public void reset() {
      jdk.reset();
    }

    @Override
    public void setXPathVariableResolver(XPathVariableResolver resolver) {
      jdk.setXPathVariableResolver(resolver);
    }

    @Override
    public XPathVariableResolver getXPathVariableResolver() {
      return jdk.getXPathVariableResolver();
    }

    @Override
    public void setXPathFunctionResolver(XPathFunctionResolver resolver) {
      jdk.setXPathFunctionResolver(resolver);
    }

    @Override
    public XPathFunctionResolver getXPathFunctionResolver() {
      return jdk.getXPathFunctionResolver();
    }

    @Override
    public void setNamespaceContext(NamespaceContext context) {
      jdk.setNamespaceContext(context);
    }

    @Override
    public NamespaceContext getNamespaceContext() {
      return jdk.getNamespaceContext();
    }
  }

  /**
   * The union's paths, each its steps with "" first for one from the document ({@code /a/b} → "", a, b), or null for an
   * expression that is not only element names, slashes and bars.
   */
  static List<String[]> paths(String expression) {
    List<String[]> paths = new ArrayList<>();
    for (String path : expression.split("\\|", -1)) {
      String[] steps = path.strip().split("/", -1);
      for (int i = 0; i < steps.length; i++) {
        if (!(i == 0 && steps.length > 1 && steps[0].isEmpty()) && !NAME.matcher(steps[i]).matches()) {
          return null;
        }
      }
      paths.add(steps);
    }
    return paths;
  }

  /** The elements the paths reach from {@code context}, each once, in document order (as XPath returns a node-set). */
  private static List<Node> find(Node context, List<String[]> paths) {
    LinkedHashSet<Node> found = new LinkedHashSet<>();
    for (String[] steps : paths) {
      List<Node> at = List.of(steps[0].isEmpty() ? document(context) : context);
      for (int i = steps[0].isEmpty() ? 1 : 0; i < steps.length; i++) {
        List<Node> next = new ArrayList<>();
        for (Node node : at) {
          for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (named(child, steps[i])) {
              next.add(child);
            }
          }
        }
        at = next;
      }
      found.addAll(at);
    }
    List<Node> ordered = new ArrayList<>(found);
    if (paths.size() > 1) {
      ordered.sort((a, b) -> a == b ? 0 : (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) != 0 ? -1 : 1);
    }
    return ordered;
  }

  private static Node document(Node node) {
    return node instanceof Document ? node : node.getOwnerDocument();
  }

  /** An element of no namespace with this name, as an XPath name test without a prefix matches. */
  private static boolean named(Node node, String name) {
    if (node.getNodeType() != Node.ELEMENT_NODE || node.getNamespaceURI() != null) {
      return false;
    }
    return name.equals(node.getLocalName() != null ? node.getLocalName() : node.getNodeName());
  }

  private record Nodes(List<Node> nodes) implements NodeList {
    @Override
    public Node item(int index) {
      return index >= 0 && index < nodes.size() ? nodes.get(index) : null;
    }

    @Override
    public int getLength() {
      return nodes.size();
    }
  }
}
