import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.google.gson.annotations.SerializedName;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Validates Kubernetes manifests offline, in three layers:
 * <ol>
 * <li>schema: every object against the model classes of the official Kubernetes Java client, which are generated
 * from the Kubernetes OpenAPI definitions: unknown fields, missing required fields and wrong value types (a string
 * where an integer goes, a number where a string goes, a malformed quantity) are errors, at any depth;</li>
 * <li>consistency: what the API server or the kubelet would refuse later (names, selectors that match their
 * template, volume mounts without a volume, references to ports or ConfigMaps that the package lacks);</li>
 * <li>policy: every workload runs non-root on a read-only root filesystem with no privilege escalation, no
 * capabilities and the RuntimeDefault seccomp profile, has all three probes, and CPU and memory requests and
 * limits; each rendered target contains the Deployment "account-security".</li>
 * </ol>
 * Usage: {@code java -cp CLASSPATH ManifestCheck.java [--render NAME FILE]... [--plain FILE]...
 * [--must-fail EXPECTED_MESSAGE FILE]...}. A {@code --render} file is a rendered Kustomize target (all three
 * layers); a {@code --plain} file is checked against the schema only; a {@code --must-fail} file is a deliberately
 * broken render whose errors must include the expected message, which proves the checks are not vacuous.
 * Exits 1 on any failure.
 */
public class ManifestCheck {

    private static final String MODEL_PACKAGE = "io.kubernetes.client.openapi.models";
    private static final String REQUIRED_DEPLOYMENT = "account-security";

    /** apiVersion/kind -> model class: the kinds this repository uses and their usual companions. */
    private static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
            Map.entry("apps/v1/DaemonSet", V1DaemonSet.class),
            Map.entry("batch/v1/Job", V1Job.class),
            Map.entry("batch/v1/CronJob", V1CronJob.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class));

    /** Kubernetes' quantity grammar (k8s.io/apimachinery/pkg/api/resource). */
    private static final Pattern QUANTITY = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]|[a-z]");

    private static final Map<Class<?>, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws IOException {
        int failures = 0;
        int i = 0;
        while (i < args.length) {
            String option = args[i];
            switch (option) {
                case "--render" -> {
                    failures += report(args[i + 1], check(Path.of(args[i + 2]), true));
                    i += 3;
                }
                case "--plain" -> {
                    failures += report(args[i + 1], check(Path.of(args[i + 1]), false));
                    i += 2;
                }
                case "--must-fail" -> {
                    String expected = args[i + 1];
                    Path file = Path.of(args[i + 2]);
                    List<String> errors = check(file, true).errors();
                    if (errors.stream().anyMatch(e -> e.contains(expected))) {
                        System.out.printf("ok    %s rejected as expected: %s%n", file.getFileName(),
                                errors.stream().filter(e -> e.contains(expected)).findFirst().orElseThrow());
                    } else {
                        failures++;
                        System.out.printf("FAIL  %s was not rejected with \"%s\"; errors: %s%n", file.getFileName(),
                                expected, errors);
                    }
                    i += 3;
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int report(String name, Result result) {
        if (result.errors().isEmpty()) {
            System.out.printf("ok    %s: %d object%s valid%n", name, result.objects(), result.objects() == 1 ? "" : "s");
            return 0;
        }
        for (String error : result.errors()) {
            System.out.printf("FAIL  %s: %s%n", name, error);
        }
        return 1;
    }

    // ---- Loading -----------------------------------------------------------------------------------------------

    private record Obj(String id, String kind, String name, Map<String, Object> body) {
    }

    private record Result(int objects, List<String> errors) {
    }

    static Result check(Path file, boolean render) throws IOException {
        List<String> errors = new ArrayList<>();
        List<Obj> objects = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml(new SafeConstructor(options)).loadAll(reader)) {
                if (document == null) {
                    continue;
                }
                if (!(document instanceof Map<?, ?> map)) {
                    errors.add("a document is not a mapping: " + document);
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) map;
                String kind = String.valueOf(body.get("kind"));
                String name = String.valueOf(get(body, "metadata", "name"));
                Obj obj = new Obj(kind + "/" + name, kind, name, body);
                objects.add(obj);
                checkSchema(obj, errors);
            }
        } catch (RuntimeException e) {
            // SnakeYAML's parse errors (bad syntax, duplicate keys).
            errors.add("YAML: " + e.getMessage().lines().findFirst().orElse(""));
            return new Result(objects.size(), errors);
        }
        if (objects.isEmpty()) {
            errors.add("no object found");
        }
        if (render) {
            checkConsistency(objects, errors);
            checkPolicy(objects, errors);
        }
        return new Result(objects.size(), errors);
    }

    // ---- Schema ------------------------------------------------------------------------------------------------

    private static void checkSchema(Obj obj, List<String> errors) {
        Class<?> model = KINDS.get(obj.body().get("apiVersion") + "/" + obj.kind());
        if (model == null) {
            errors.add(obj.id() + ": no schema for apiVersion " + obj.body().get("apiVersion") + " kind " + obj.kind()
                    + " (a misspelled kind or apiVersion, or a kind to add to ManifestCheck.KINDS)");
            return;
        }
        checkObject(obj.body(), model, "", obj.id(), errors);
    }

    private static void checkValue(Object value, Type type, String path, String id, List<String> errors) {
        if (value == null) {
            return;
        }
        Class<?> raw = rawClass(type);
        String found = " (found " + describe(value) + ")";
        if (raw == String.class) {
            if (!(value instanceof String)) {
                errors.add(id + ": " + path + ": expected a string" + found);
            }
        } else if (raw == Integer.class || raw == Long.class) {
            BigInteger n = integral(value);
            long min = raw == Integer.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = raw == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (n == null) {
                errors.add(id + ": " + path + ": expected an integer" + found);
            } else if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                errors.add(id + ": " + path + ": integer out of range" + found);
            }
        } else if (raw == Boolean.class) {
            if (!(value instanceof Boolean)) {
                errors.add(id + ": " + path + ": expected a boolean" + found);
            }
        } else if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            if (!(value instanceof Number)) {
                errors.add(id + ": " + path + ": expected a number" + found);
            }
        } else if (raw == IntOrString.class) {
            if (!(value instanceof String) && integral(value) == null) {
                errors.add(id + ": " + path + ": expected an integer or a string" + found);
            }
        } else if (raw == Quantity.class) {
            if (value instanceof String s ? !QUANTITY.matcher(s).matches() : !(value instanceof Number)) {
                errors.add(id + ": " + path + ": not a Kubernetes quantity such as 500m, 2 or 256Mi" + found);
            }
        } else if (raw == OffsetDateTime.class) {
            try {
                OffsetDateTime.parse(String.valueOf(value));
            } catch (DateTimeParseException e) {
                errors.add(id + ": " + path + ": expected an RFC 3339 time" + found);
            }
        } else if (raw == byte[].class) {
            try {
                Base64.getDecoder().decode((String) value);
            } catch (IllegalArgumentException | ClassCastException e) {
                errors.add(id + ": " + path + ": expected base64 data" + found);
            }
        } else if (raw == Object.class) {
            // Free-form (for example a raw extension): anything goes.
        } else if (List.class.isAssignableFrom(raw)) {
            if (!(value instanceof List<?> list)) {
                errors.add(id + ": " + path + ": expected a list" + found);
                return;
            }
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            for (int i = 0; i < list.size(); i++) {
                checkValue(list.get(i), element, path + "[" + i + "]", id, errors);
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (!(value instanceof Map<?, ?> map)) {
                errors.add(id + ": " + path + ": expected a mapping" + found);
                return;
            }
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    errors.add(id + ": " + path + ": a key is not a string (found " + describe(e.getKey()) + ")");
                }
                checkValue(e.getValue(), valueType, path + "." + e.getKey(), id, errors);
            }
        } else if (raw.getPackageName().equals(MODEL_PACKAGE)) {
            checkObject(value, raw, path, id, errors);
        } else {
            errors.add(id + ": " + path + ": ManifestCheck has no rule for " + raw.getName());
        }
    }

    private static void checkObject(Object value, Class<?> model, String path, String id, List<String> errors) {
        if (!(value instanceof Map<?, ?> map)) {
            errors.add(id + ": " + path + ": expected a mapping" + " (found " + describe(value) + ")");
            return;
        }
        Map<String, Field> fields = fields(model);
        String prefix = path.isEmpty() ? "" : path + ".";
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Field field = fields.get(String.valueOf(e.getKey()));
            if (field == null) {
                errors.add(id + ": " + prefix + e.getKey() + ": unknown field (not in " + model.getSimpleName() + ")");
            } else {
                checkValue(e.getValue(), field.getGenericType(), prefix + e.getKey(), id, errors);
            }
        }
        for (String required : requiredFields(model)) {
            if (map.get(required) == null) {
                errors.add(id + ": " + prefix + required + ": required field missing (" + model.getSimpleName() + ")");
            }
        }
    }

    private static Map<String, Field> fields(Class<?> model) {
        return FIELDS.computeIfAbsent(model, m -> {
            Map<String, Field> byName = new HashMap<>();
            for (Class<?> c = m; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    SerializedName name = f.getAnnotation(SerializedName.class);
                    if (name != null) {
                        byName.putIfAbsent(name.value(), f);
                    }
                }
            }
            return byName;
        });
    }

    @SuppressWarnings("unchecked")
    private static Collection<String> requiredFields(Class<?> model) {
        try {
            Field f = model.getDeclaredField("openapiRequiredFields");
            return (Collection<String>) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no openapiRequiredFields", e);
        }
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unexpected type " + type);
    }

    private static BigInteger integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return new BigInteger(value.toString());
        }
        if (value instanceof Double d && !d.isInfinite() && !d.isNaN() && d == Math.rint(d)) {
            return BigDecimal.valueOf(d).toBigInteger();
        }
        return null;
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return "the " + value.getClass().getSimpleName().toLowerCase() + " " + value;
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return value.getClass().getSimpleName();
    }

    // ---- Consistency -------------------------------------------------------------------------------------------

    /** A workload's pod template, with where it sits in the object. */
    private record Pods(Obj owner, Map<String, Object> template, String path) {

        Map<String, Object> labels() {
            return stringMap(get(template, "metadata", "labels"));
        }

        Map<String, Object> spec() {
            return map(template.get("spec"));
        }

        List<Map<String, Object>> containers(boolean withInit) {
            List<Map<String, Object>> all = new ArrayList<>(maps(spec().get("containers")));
            if (withInit) {
                all.addAll(maps(spec().get("initContainers")));
            }
            return all;
        }
    }

    private static List<Pods> pods(List<Obj> objects) {
        List<Pods> pods = new ArrayList<>();
        for (Obj o : objects) {
            switch (o.kind()) {
                case "Deployment", "StatefulSet", "DaemonSet", "Job" -> {
                    Object template = get(o.body(), "spec", "template");
                    if (template instanceof Map) {
                        pods.add(new Pods(o, map(template), "spec.template"));
                    }
                }
                case "CronJob" -> {
                    Object template = get(o.body(), "spec", "jobTemplate", "spec", "template");
                    if (template instanceof Map) {
                        pods.add(new Pods(o, map(template), "spec.jobTemplate.spec.template"));
                    }
                }
                default -> {
                }
            }
        }
        return pods;
    }

    private static void checkConsistency(List<Obj> objects, List<String> errors) {
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Map<String, Object>> configMaps = new HashMap<>();
        Map<String, Map<String, Object>> secrets = new HashMap<>();
        for (Obj o : objects) {
            if (!seen.add(o.id())) {
                errors.add(o.id() + ": defined twice");
            }
            Pattern namePattern = o.kind().equals("Service") ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
            if (!namePattern.matcher(o.name()).matches() || o.name().length() > (o.kind().equals("Service") ? 63 : 253)) {
                errors.add(o.id() + ": metadata.name: not a valid " + o.kind() + " name");
            }
            if (o.kind().equals("ConfigMap")) {
                configMaps.put(o.name(), o.body());
            } else if (o.kind().equals("Secret")) {
                Map<String, Object> keys = new HashMap<>(stringMap(o.body().get("data")));
                keys.putAll(stringMap(o.body().get("stringData")));
                secrets.put(o.name(), keys);
            }
        }
        List<Pods> allPods = pods(objects);
        for (Pods p : allPods) {
            checkPods(p, configMaps, secrets, errors);
        }
        for (Obj o : objects) {
            switch (o.kind()) {
                case "Service" -> checkService(o, allPods, errors);
                case "HorizontalPodAutoscaler" -> {
                    Object kind = get(o.body(), "spec", "scaleTargetRef", "kind");
                    Object name = get(o.body(), "spec", "scaleTargetRef", "name");
                    if (objects.stream().noneMatch(t -> t.kind().equals(kind) && t.name().equals(name))) {
                        errors.add(o.id() + ": spec.scaleTargetRef: no " + kind + "/" + name + " in this package");
                    }
                }
                case "PodDisruptionBudget", "NetworkPolicy" -> {
                    String field = o.kind().equals("NetworkPolicy") ? "podSelector" : "selector";
                    Map<String, Object> selector = stringMap(get(o.body(), "spec", field, "matchLabels"));
                    if (!selector.isEmpty() && allPods.stream().noneMatch(p -> matches(selector, p.labels()))) {
                        errors.add(o.id() + ": spec." + field + " selects no pod of this package: " + selector);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void checkPods(Pods p, Map<String, Map<String, Object>> configMaps,
            Map<String, Map<String, Object>> secrets, List<String> errors) {
        String id = p.owner().id();
        Map<String, Object> selector = stringMap(get(p.owner().body(), "spec", "selector", "matchLabels"));
        if (!p.owner().kind().endsWith("Job") && !matches(selector, p.labels())) {
            errors.add(id + ": spec.selector.matchLabels " + selector + " does not match the template's labels "
                    + p.labels());
        }
        Set<String> volumes = new LinkedHashSet<>();
        for (Map<String, Object> v : maps(p.spec().get("volumes"))) {
            volumes.add(String.valueOf(v.get("name")));
            Object cm = get(v, "configMap", "name");
            if (cm != null && !configMaps.containsKey(cm) && !Boolean.TRUE.equals(get(v, "configMap", "optional"))) {
                errors.add(id + ": volume " + v.get("name") + ": ConfigMap " + cm + " is not in this package");
            }
            Object secret = get(v, "secret", "secretName");
            if (secret != null && secrets.containsKey(secret)) {
                for (Map<String, Object> item : maps(get(v, "secret", "items"))) {
                    if (!secrets.get(secret).containsKey(item.get("key"))) {
                        errors.add(id + ": volume " + v.get("name") + ": Secret " + secret + " has no key "
                                + item.get("key"));
                    }
                }
            }
        }
        for (Map<String, Object> claim : maps(get(p.owner().body(), "spec", "volumeClaimTemplates"))) {
            volumes.add(String.valueOf(get(claim, "metadata", "name")));
        }
        for (Map<String, Object> c : p.containers(true)) {
            String cid = id + ": container " + c.get("name");
            if (c.get("name") instanceof String n && !DNS1123_LABEL.matcher(n).matches()) {
                errors.add(cid + ": name is not a DNS-1123 label");
            }
            Set<String> ports = new LinkedHashSet<>();
            for (Map<String, Object> port : maps(c.get("ports"))) {
                if (port.get("name") instanceof String n) {
                    if (n.length() > 15 || !IANA_SVC_NAME.matcher(n).matches()) {
                        errors.add(cid + ": port name " + n + " is not an IANA service name (15 characters at most)");
                    }
                    if (!ports.add(n)) {
                        errors.add(cid + ": port name " + n + " used twice");
                    }
                }
            }
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                    if (get(c, probe, handler, "port") instanceof String named && !ports.contains(named)) {
                        errors.add(cid + ": " + probe + " uses port " + named + ", which the container does not name");
                    }
                }
            }
            for (Map<String, Object> m : maps(c.get("volumeMounts"))) {
                if (!volumes.contains(String.valueOf(m.get("name")))) {
                    errors.add(cid + ": volumeMount " + m.get("name") + " has no volume of that name");
                }
            }
            for (Map<String, Object> from : maps(c.get("envFrom"))) {
                Object cm = get(from, "configMapRef", "name");
                if (cm != null && !configMaps.containsKey(cm) && !Boolean.TRUE.equals(get(from, "configMapRef", "optional"))) {
                    errors.add(cid + ": envFrom ConfigMap " + cm + " is not in this package");
                }
            }
            for (Map<String, Object> env : maps(c.get("env"))) {
                Object cm = get(env, "valueFrom", "configMapKeyRef", "name");
                if (cm != null && !configMaps.containsKey(cm)) {
                    errors.add(cid + ": env " + env.get("name") + ": ConfigMap " + cm + " is not in this package");
                }
                Object secret = get(env, "valueFrom", "secretKeyRef", "name");
                Object key = get(env, "valueFrom", "secretKeyRef", "key");
                // A Secret outside the package is created by the operator; one inside must have the key.
                if (secret != null && secrets.containsKey(secret) && !secrets.get(secret).containsKey(key)) {
                    errors.add(cid + ": env " + env.get("name") + ": Secret " + secret + " has no key " + key);
                }
            }
        }
    }

    private static void checkService(Obj service, List<Pods> allPods, List<String> errors) {
        Map<String, Object> selector = stringMap(get(service.body(), "spec", "selector"));
        if (selector.isEmpty()) {
            return;
        }
        List<Pods> selected = allPods.stream().filter(p -> matches(selector, p.labels())).toList();
        if (selected.isEmpty()) {
            errors.add(service.id() + ": spec.selector selects no pod of this package: " + selector);
            return;
        }
        for (Map<String, Object> port : maps(get(service.body(), "spec", "ports"))) {
            if (port.get("targetPort") instanceof String named) {
                boolean found = selected.stream().flatMap(p -> p.containers(false).stream())
                        .flatMap(c -> maps(c.get("ports")).stream())
                        .anyMatch(cp -> named.equals(cp.get("name")));
                if (!found) {
                    errors.add(service.id() + ": targetPort " + named + " is not a port name of the selected pods");
                }
            }
        }
    }

    // ---- Policy ------------------------------------------------------------------------------------------------

    private static void checkPolicy(List<Obj> objects, List<String> errors) {
        if (objects.stream().noneMatch(o -> o.kind().equals("Deployment") && o.name().equals(REQUIRED_DEPLOYMENT))) {
            errors.add("policy: the Deployment " + REQUIRED_DEPLOYMENT + " is missing");
        }
        for (Pods p : pods(objects)) {
            String id = p.owner().id();
            Map<String, Object> podSecurity = map(p.spec().get("securityContext"));
            for (Map<String, Object> c : p.containers(true)) {
                boolean init = maps(p.spec().get("initContainers")).contains(c);
                String cid = id + ": container " + c.get("name") + ": policy: ";
                Map<String, Object> sc = map(c.get("securityContext"));
                if (!Boolean.TRUE.equals(sc.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")))) {
                    errors.add(cid + "runAsNonRoot must be true");
                }
                Object user = sc.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
                if (integral(user) == null || integral(user).signum() <= 0) {
                    errors.add(cid + "runAsUser must be set to a non-zero user id");
                }
                Object seccomp = get(sc, "seccompProfile", "type");
                if (seccomp == null) {
                    seccomp = get(podSecurity, "seccompProfile", "type");
                }
                if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                    errors.add(cid + "seccompProfile.type must be RuntimeDefault (or Localhost)");
                }
                if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                    errors.add(cid + "readOnlyRootFilesystem must be true");
                } else if (maps(c.get("volumeMounts")).stream().noneMatch(m -> "/tmp".equals(m.get("mountPath")))) {
                    errors.add(cid + "a read-only root filesystem needs a writable volume at /tmp");
                }
                if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                    errors.add(cid + "allowPrivilegeEscalation must be false");
                }
                if (Boolean.TRUE.equals(sc.get("privileged"))) {
                    errors.add(cid + "privileged must not be true");
                }
                Object drop = get(sc, "capabilities", "drop");
                if (!(drop instanceof List<?> list && list.contains("ALL"))) {
                    errors.add(cid + "capabilities.drop must contain ALL");
                }
                if (get(sc, "capabilities", "add") instanceof List<?> added && !added.isEmpty()) {
                    errors.add(cid + "capabilities.add must be empty");
                }
                for (String resource : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                    String[] parts = resource.split("\\.");
                    if (get(c, "resources", parts[0], parts[1]) == null) {
                        errors.add(cid + "resources." + resource + " must be set");
                    }
                }
                if (!init) {
                    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                        if (!(c.get(probe) instanceof Map)) {
                            errors.add(cid + probe + " must be set");
                        }
                    }
                }
            }
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------------------------

    private static Object get(Object root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> stringMap(Object value) {
        Map<String, Object> result = new LinkedHashMap<>();
        map(value).forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }

    private static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map) {
                    result.add(map(item));
                }
            }
        }
        return result;
    }

    private static boolean matches(Map<String, Object> selector, Map<String, Object> labels) {
        return selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }
}
