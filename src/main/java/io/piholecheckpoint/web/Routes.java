package io.piholecheckpoint.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which methods each address of the app answers: the one table the access filter and the error
 * page answer {@code OPTIONS} and 405 from, so every route says the same ({@code Allow} with what
 * it accepts; never TRACE). Each servlet declares its own routes beside its handlers, as lines
 * such as {@code "GET, DELETE /api/v1/backups/{id}"}: a segment in braces is a numeric id, except
 * {@code {name}}, which is any one segment; a last segment {@code **} is one or more segments.
 */
public final class Routes {
  /** Every method some route answers; any other (TRACE, PATCH, CONNECT, …) is refused everywhere. */
  public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

  private final List<Route> routes;

  private Routes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** The routes of all {@code declarations} (each a servlet's list of lines). */
  @SafeVarargs
  public static Routes of(Collection<String>... declarations) {
    List<Route> routes = new ArrayList<>();
    for (Collection<String> lines : declarations) {
      lines.forEach(line -> routes.add(Route.parse(line)));
    }
    return new Routes(routes);
  }

  /**
   * What {@code path} (as dispatched, e.g. {@code /api/v1/backups/12}) accepts, in the order of
   * {@link #METHODS}: HEAD comes with GET, OPTIONS with every route. Empty for an address no route
   * serves.
   */
  public Optional<List<String>> methods(String path) {
    String[] segments = segments(path);
    List<String> accepted = new ArrayList<>();
    for (Route route : routes) {
      if (route.matches(segments)) {
        accepted.addAll(route.methods);
      }
    }
    if (accepted.isEmpty()) {
      return Optional.empty();
    }
    if (accepted.contains("GET")) {
      accepted.add("HEAD");
    }
    accepted.add("OPTIONS");
    return Optional.of(METHODS.stream().filter(accepted::contains).toList());
  }

  /** The {@code Allow} header of {@code path}: its methods, or empty for an address no route serves. */
  public Optional<String> allow(String path) {
    return methods(path).map(m -> String.join(", ", m));
  }

  /** "/api/v1/instances/" is ["api", "v1", "instances"]; "/" is []. */
  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  private record Route(String[] template, List<String> methods) {
    static Route parse(String line) {
      int space = line.lastIndexOf(' ');
      List<String> methods = Arrays.stream(line.substring(0, space).split(",")).map(String::trim).toList();
      if (!METHODS.containsAll(methods) || methods.contains("HEAD") || methods.contains("OPTIONS")) {
        throw new IllegalArgumentException("a route names GET, POST, PUT or DELETE (HEAD and OPTIONS come by themselves): " + line);
      }
      String path = line.substring(space + 1);
      return new Route(path.equals("/") ? new String[0] : path.substring(1).split("/"), methods);
    }

    boolean matches(String[] segments) {
      boolean rest = template.length > 0 && template[template.length - 1].equals("**");
      int fixed = rest ? template.length - 1 : template.length;
      if (rest ? segments.length <= fixed : segments.length != fixed) {
        return false;
      }
      for (int i = 0; i < fixed; i++) {
        String t = template[i];
        boolean ok = t.equals("{name}") ? !segments[i].isEmpty()
            : t.startsWith("{") ? Paths.id(segments[i]).isPresent()
            : t.equals(segments[i]);
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
