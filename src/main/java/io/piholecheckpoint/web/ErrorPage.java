package io.piholecheckpoint.web;

/** The model of {@code errors/error.ftlh}. */
public record ErrorPage(int status, String title, String message) {
}
