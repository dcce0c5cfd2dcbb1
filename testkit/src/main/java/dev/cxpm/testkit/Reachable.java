package dev.cxpm.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What an object holds, for tests that prove a result keeps no big thing alive (a parsed manifest, a JSON tree): every
 * object reachable from a root through cxpm's own objects, records, collections, maps, optionals and arrays. Other JDK
 * objects (strings, paths, instants) are leaves: a path is iterable, but over new paths of its names.
 */
public final class Reachable {
    private Reachable() {
    }

    /** Every object reached from root, each once; one that leaf accepts is reached but not walked into. */
    public static List<Object> from(Object root, Predicate<Object> leaf) {
        List<Object> reached = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            Object o = todo.removeLast();
            if (o == null || !seen.add(o)) {
                continue;
            }
            reached.add(o);
            if (leaf.test(o)) {
                continue;
            }
            switch (o) {
                case Collection<?> c -> todo.addAll(c);
                case Map<?, ?> map -> map.forEach((k, v) -> {
                    todo.add(k);
                    todo.add(v);
                });
                case Optional<?> opt -> opt.ifPresent(todo::add);
                case Object[] arr -> todo.addAll(java.util.Arrays.asList(arr)); // (List.of refuses a null element)
                default -> todo.addAll(fields(o));
            }
        }
        return reached;
    }

    /** A record's components, or the instance fields of cxpm's own classes (and their cxpm superclasses); none else. */
    private static List<Object> fields(Object o) {
        List<Object> out = new ArrayList<>();
        Class<?> c = o.getClass();
        try {
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    rc.getAccessor().setAccessible(true);
                    out.add(rc.getAccessor().invoke(o));
                }
                return out;
            }
            for (Class<?> k = c; k != null && k.getName().startsWith("dev.cxpm."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        out.add(f.get(o));
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return out;
    }
}
