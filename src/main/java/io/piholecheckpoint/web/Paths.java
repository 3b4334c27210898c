package io.piholecheckpoint.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.OptionalLong;

/** Reads the part of a URL after the servlet's mapping. */
public final class Paths {
  private Paths() {
  }

  /** "/12/download" is ["12", "download"]; no path info is []. */
  public static String[] segments(HttpServletRequest request) {
    String info = request.getPathInfo();
    if (info == null || info.equals("/")) {
      return new String[0];
    }
    return info.replaceAll("^/+|/+$", "").split("/+");
  }

  /**
   * Whether the path after the mapping is exactly {@code name}, with or without a trailing slash: every API address answers
   * its twin with one as itself ({@code /api/v1/schedules/preview/} as {@code /api/v1/schedules/preview}).
   */
  public static boolean is(HttpServletRequest request, String name) {
    String[] parts = segments(request);
    return parts.length == 1 && parts[0].equals(name);
  }

  public static OptionalLong id(String segment) {
    if (segment.isEmpty() || segment.length() > 18 || !segment.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(segment));
  }
}
