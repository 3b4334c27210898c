package io.piholecheckpoint.web.access;

import io.piholecheckpoint.web.HttpErrors;
import io.piholecheckpoint.web.Routes;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The fields each page form sends, declared by its servlet beside its routes as lines such as
 * {@code "/instances/{id}/delete backups"} (the path as in {@link Routes}, then the field names). A
 * form post with a field its form does not have ({@code foo=bar}, a misspelt {@code maxBackup}) is
 * refused rather than the field silently dropped: the sender meant something by it. Asked once, in the
 * access filter, of every page's form post (the address's query counts with the body), as
 * {@link RepeatedFields} is; a page POST whose address declares nothing takes no field but the token.
 */
public final class FormFields {
  private final List<Form> forms;

  private record Form(Routes address, Set<String> fields) {
  }

  private FormFields(List<Form> forms) {
    this.forms = List.copyOf(forms);
  }

  /** The forms of all {@code declarations} (each a servlet's list of lines). */
  @SafeVarargs
  public static FormFields of(Collection<String>... declarations) {
    List<Form> forms = new ArrayList<>();
    for (Collection<String> lines : declarations) {
      for (String line : lines) {
        String[] words = line.trim().split(" +");
        forms.add(new Form(Routes.of(List.of("POST " + words[0])), Set.copyOf(Arrays.asList(words).subList(1, words.length))));
      }
    }
    return new FormFields(forms);
  }

  /** Why a page's form post is refused, if it is: a field sent twice ({@link RepeatedFields}), or one its form does not have. */
  Optional<HttpErrors.Answer> refusal(HttpServletRequest request, String path) {
    Optional<String> repeated = RepeatedFields.in(request);
    if (repeated.isPresent()) {
      String message = repeated.get() + " is given twice; send it once";
      return Optional.of(new HttpErrors.Answer(400, "duplicate_field", message, "Bad request", message + ".", repeated.get(), null, null));
    }
    return unknownIn(request, path).map(field -> {
      String message = field + " is not a field of this form; send only the form's own fields";
      return new HttpErrors.Answer(400, "unknown_field", message, "Bad request", message + ".", field, null, null);
    });
  }

  /** The first field (by name) a url-encoded form post to {@code path} sends that its form does not have, if any. */
  private Optional<String> unknownIn(HttpServletRequest request, String path) {
    String type = request.getContentType();
    if (!request.getMethod().equals("POST") || type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return Optional.empty();
    }
    Set<String> known = forms.stream().filter(f -> f.address().methods(path).isPresent()).findFirst().map(Form::fields).orElse(Set.of());
    return request.getParameterMap().keySet().stream().filter(field -> !field.equals(CsrfGuard.FIELD) && !known.contains(field)).sorted().findFirst();
  }
}
