"""The project model, end to end: multi-file projects on disk, linted through the engine.

Every construct the project model resolves (packages, imports, classes, functions passed as
values, ``tf.function`` spellings, Keras) has a positive test — a side effect is found *through*
the construct — and a negative control of the same shape that reports nothing. Findings are
compared as exact ``(relative path, row, code)`` sets; HYB110 findings also check the chain.

Tests marked ``xfail(strict=True)`` document analysis bugs: they pass once the bug is fixed.
"""

from __future__ import annotations

from project_helpers import chains, lint, run

# -- shared helper modules ----------------------------------------------------

NOISY = """
def noisy(x):
    print("noisy", x)
    return x
"""

PURE = """
def pure(x):
    return x * 2
"""


def findings_and_chains(tmp_path, files):
    found = run(tmp_path, files)
    return {f.key for f in found}, chains(found)


# -- packages, __init__.py, layouts --------------------------------------------


def test_package_relative_import_two_calls_away(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/logs.py": """
            def log_metrics(loss):
                report(loss)


            def report(value):
                print("loss", value)
            """,
        "pkg/train.py": """
            import tensorflow as tf

            from .logs import log_metrics


            @tf.function
            def train_step(x):
                loss = tf.reduce_sum(x)
                log_metrics(loss)
                return loss
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/train.py", 9, "HYB110")}
    assert chain[("pkg/train.py", 9, "HYB110")] == "train_step → log_metrics → report → print"


def test_package_relative_import_negative(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/logs.py": """
            def log_metrics(loss):
                return report(loss)


            def report(value):
                return value * 2
            """,
        "pkg/train.py": """
            import tensorflow as tf

            from .logs import log_metrics


            @tf.function
            def train_step(x):
                return log_metrics(tf.reduce_sum(x))
            """,
    }
    assert lint(tmp_path, files) == set()


REEXPORT_MAIN = """
    import tensorflow as tf
    import pkg
    from pkg import helper


    @tf.function
    def step(x):
        helper(x)
        pkg.helper(x)
        return x
    """


def test_reexport_through_package_init(tmp_path):
    files = {
        "pkg/__init__.py": "from .impl import helper\n",
        "pkg/impl.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "main.py": REEXPORT_MAIN,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 8, "HYB110"), ("main.py", 9, "HYB110")}
    assert chain[("main.py", 8, "HYB110")] == "step → helper → print"


def test_reexport_through_package_init_picks_the_reexported_function(tmp_path):
    """``pkg.loud`` also defines ``helper``, but ``pkg`` re-exports the quiet one."""
    files = {
        "pkg/__init__.py": "from .quiet import helper\n",
        "pkg/quiet.py": """
            def helper(x):
                return x
            """,
        "pkg/loud.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "main.py": REEXPORT_MAIN,
    }
    assert lint(tmp_path, files) == set()


def test_reexport_under_an_alias_in_package_init(tmp_path):
    files = {
        "pkg/__init__.py": "from .impl import helper as exported\n",
        "pkg/impl.py": """
            def helper(x):
                print("helper", x)
                return x


            def exported(x):
                return x
            """,
        "main.py": """
            import tensorflow as tf
            from pkg import exported


            @tf.function
            def step(x):
                return exported(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 7, "HYB110")}
    assert chain[("main.py", 7, "HYB110")] == "step → helper → print"


SRC_MAIN = """
    import tensorflow as tf

    from pkg.tools import helper
    from .tools import helper as relative_helper


    @tf.function
    def step(x):
        helper(x)
        relative_helper(x)
        return x
    """


def test_src_layout(tmp_path):
    files = {
        "src/pkg/__init__.py": "",
        "src/pkg/tools.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "src/pkg/main.py": SRC_MAIN,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("src/pkg/main.py", 9, "HYB110"), ("src/pkg/main.py", 10, "HYB110")}
    assert chain[("src/pkg/main.py", 9, "HYB110")] == "step → helper → print"


def test_src_layout_negative(tmp_path):
    files = {
        "src/pkg/__init__.py": "",
        "src/pkg/tools.py": """
            def helper(x):
                return x
            """,
        "src/pkg/main.py": SRC_MAIN,
        # `from .tools import` in src/pkg/main.py is pkg.tools, not the top-level module `tools`.
        "src/tools.py": """
            def helper(x):
                print("helper", x)
            """,
    }
    assert lint(tmp_path, files) == set()


NAMESPACE_MAIN = """
    import tensorflow as tf

    import ns.sub.impl as m
    from ns.sub import impl
    from ns.sub.impl import helper


    @tf.function
    def step(x):
        helper(x)
        m.helper(x)
        impl.helper(x)
        return x
    """


def test_namespace_package_without_init(tmp_path):
    files = {
        "ns/sub/impl.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "app/main.py": NAMESPACE_MAIN,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("app/main.py", 10, "HYB110"), ("app/main.py", 11, "HYB110"), ("app/main.py", 12, "HYB110")}
    assert set(chain.values()) == {"step → helper → print"}


def test_namespace_package_negative(tmp_path):
    files = {
        "ns/sub/impl.py": """
            def helper(x):
                return x
            """,
        "app/main.py": NAMESPACE_MAIN,
    }
    assert lint(tmp_path, files) == set()


def test_namespace_package_relative_imports_and_effects_on_arguments(tmp_path):
    """HYB107 and HYB104 through helpers, in a namespace package reached by relative imports."""
    files = {
        "ns/tools/__init__.py": "",
        "ns/tools/iters.py": """
            def take(it):
                return next(it)
            """,
        "ns/tools/flags.py": """
            def mark(obj):
                obj.flag = True
            """,
        "ns/app.py": """
            import tensorflow as tf

            from . import tools
            from .tools import flags
            from .tools.iters import take


            class Box:
                pass


            box = Box()


            @tf.function
            def step(x, ds):
                a = take(iter([1, 2, 3]))
                b = take(iter(ds))
                flags.mark(box)
                local = Box()
                flags.mark(local)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("ns/app.py", 17, "HYB110"), ("ns/app.py", 19, "HYB110")}
    assert chain[("ns/app.py", 17, "HYB110")] == "step → take → next"
    assert chain[("ns/app.py", 19, "HYB110")] == "step → mark → obj.flag"


# -- imports ---------------------------------------------------------------------


RELATIVE_FILES = {
    "pkg/__init__.py": "",
    "pkg/sub/__init__.py": "",
    "pkg/sub/main.py": """
        import tensorflow as tf

        from .. import a
        from ..a import b
        from . import mod


        @tf.function
        def step(x):
            b(x)
            a.b(x)
            mod.f(x)
            return x
        """,
}


def test_relative_imports(tmp_path):
    files = {
        **RELATIVE_FILES,
        "pkg/a.py": """
            def b(x):
                print("b", x)
            """,
        "pkg/sub/mod.py": """
            import random


            def f(x):
                return random.random()
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/sub/main.py", 10, "HYB110"), ("pkg/sub/main.py", 11, "HYB110"),
                     ("pkg/sub/main.py", 12, "HYB110")}
    assert chain[("pkg/sub/main.py", 10, "HYB110")] == "step → b → print"
    assert chain[("pkg/sub/main.py", 11, "HYB110")] == "step → b → print"
    assert chain[("pkg/sub/main.py", 12, "HYB110")] == "step → f → random.random"


def test_relative_imports_negative(tmp_path):
    files = {
        **RELATIVE_FILES,
        "pkg/a.py": """
            def b(x):
                return x
            """,
        "pkg/sub/mod.py": """
            def f(x):
                return x
            """,
        # Same names one level off: what a wrong relative resolution would pick.
        "pkg/sub/a.py": """
            def b(x):
                print("wrong b", x)
            """,
        "pkg/mod.py": """
            def f(x):
                print("wrong f", x)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_relative_import_inside_package_init(tmp_path):
    files = {
        "pkg/__init__.py": """
            import tensorflow as tf

            from . import mod


            @tf.function
            def step(x):
                return mod.f(x)
            """,
        "pkg/mod.py": """
            def f(x):
                print("f", x)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/__init__.py", 8, "HYB110")}
    assert chain[("pkg/__init__.py", 8, "HYB110")] == "step → f → print"


def test_wildcard_import_honours_all(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": """
            __all__ = ["public"]


            def public(x):
                print("public", x)


            def hidden(x):
                print("hidden", x)
            """,
        "pkg/b.py": """
            import tensorflow as tf

            from .a import *


            @tf.function
            def step(x):
                public(x)
                hidden(x)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/b.py", 8, "HYB110")}
    assert chain[("pkg/b.py", 8, "HYB110")] == "step → public → print"


def test_wildcard_import_without_all_skips_private_names(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": """
            def public(x):
                print("public", x)


            def _private(x):
                print("private", x)
            """,
        "pkg/b.py": """
            import tensorflow as tf

            from .a import *


            @tf.function
            def step(x):
                public(x)
                _private(x)
                return x
            """,
    }
    assert lint(tmp_path, files) == {("pkg/b.py", 8, "HYB110")}


def test_wildcard_reexport_through_package_init(tmp_path):
    files = {
        "pkg/__init__.py": "from .impl import *\n",
        "pkg/impl.py": """
            __all__ = ["starred"]


            def starred(x):
                print("starred", x)
                return x


            def unlisted(x):
                print("unlisted", x)
                return x
            """,
        "main.py": """
            import tensorflow as tf
            import pkg
            from pkg import starred


            @tf.function
            def step(x):
                starred(x)
                pkg.starred(x)
                pkg.unlisted(x)
                return x
            """,
    }
    assert lint(tmp_path, files) == {("main.py", 8, "HYB110"), ("main.py", 9, "HYB110")}


def test_wildcard_reexport_two_levels_deep(tmp_path):
    files = {
        "pkg/__init__.py": "from .b import *\n",
        "pkg/a.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "pkg/b.py": "from .a import *\n",
        "main.py": """
            import tensorflow as tf
            import pkg
            from pkg import helper


            @tf.function
            def step(x):
                helper(x)
                pkg.helper(x)
                return x
            """,
    }
    assert lint(tmp_path, files) == {("main.py", 8, "HYB110"), ("main.py", 9, "HYB110")}


ALIAS_FILES = {
    "pkg/__init__.py": "",
    "a.py": """
        import tensorflow as tf2

        import pkg.mod as m


        @tf2.function
        def step(x):
            return m.helper(x)
        """,
    "b.py": """
        from tensorflow import function

        import pkg.mod


        @function
        def step(x):
            return pkg.mod.helper(x)


        @function(jit_compile=True)
        def step2(x):
            return pkg.mod.helper(x)
        """,
    "c.py": """
        import tensorflow.compat.v2 as tf
        from tensorflow import function as tff

        from pkg.mod import helper as h


        @tf.function
        def step(x):
            return h(x)


        @tff
        def step2(x):
            return h(x)
        """,
}


def test_import_aliases(tmp_path):
    files = {
        **ALIAS_FILES,
        "pkg/mod.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("a.py", 8, "HYB110"), ("b.py", 8, "HYB110"), ("b.py", 13, "HYB110"),
                     ("c.py", 9, "HYB110"), ("c.py", 14, "HYB110")}
    assert chain[("a.py", 8, "HYB110")] == "step → helper → print"
    assert chain[("c.py", 14, "HYB110")] == "step2 → helper → print"


def test_import_aliases_negative(tmp_path):
    files = {
        **ALIAS_FILES,
        "pkg/mod.py": """
            def helper(x):
                return x
            """,
        # `m`, `h` and `tf2` are aliases, not modules of these names.
        "m.py": """
            def helper(x):
                print("m", x)
            """,
        "h.py": """
            def h(x):
                print("h", x)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_module_level_alias_of_an_imported_module(tmp_path):
    """``rng = np.random`` bound once at module level: ``rng.normal()`` is ``numpy.random.normal``."""
    files = {"m.py": """
        import numpy as np
        import tensorflow as tf

        rng = np.random

        @tf.function
        def noisy(x):
            return x + rng.normal()

        noisy(tf.ones(3))
        """}
    assert lint(tmp_path, files) == {("m.py", 8, "HYB106")}


def test_module_level_alias_rebound_is_not_followed(tmp_path):
    files = {"m.py": """
        import numpy as np
        import tensorflow as tf

        rng = np.random
        rng = np.random.default_rng(0).spawn(1)[0]

        @tf.function
        def noisy(x):
            return x + rng.normal()

        noisy(tf.ones(3))
        """}
    assert lint(tmp_path, files) == set()


def test_import_inside_function_body(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/impl.py": """
            def helper(x):
                print("helper", x)
                return x
            """,
        "main.py": """
            import tensorflow as tf


            @tf.function
            def step(x):
                import random

                from pkg.impl import helper
                y = random.random()
                return helper(x) * y
            """,
    }
    assert lint(tmp_path, files) == {("main.py", 9, "HYB106"), ("main.py", 10, "HYB110")}


def test_import_inside_function_body_negative(tmp_path):
    """Imports of an enclosing function reach nested graph code; a rebound import is a plain local."""
    files = {
        "pkg/__init__.py": "",
        "pkg/impl.py": """
            def helper(x):
                return x
            """,
        "main.py": """
            import tensorflow as tf


            def make():
                import random

                from pkg.impl import helper

                @tf.function
                def step(x):
                    random = tf.random.uniform(())
                    return helper(x) * random

                return step
            """,
    }
    assert lint(tmp_path, files) == set()


# -- classes -----------------------------------------------------------------------


def test_method_inherited_from_a_base_in_another_module(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            class Base:
                def hook(self, x):
                    print("hook", x)
                    return x
            """,
        "pkg/child.py": """
            import tensorflow as tf

            from pkg import base


            class Child(base.Base):
                @tf.function
                def run(self, x):
                    return self.hook(x)


            class Override(base.Base):
                def hook(self, x):
                    return x

                @tf.function
                def run(self, x):
                    return self.hook(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/child.py", 9, "HYB110")}
    assert chain[("pkg/child.py", 9, "HYB110")] == "Child.run → Base.hook → print"


DIAMOND_BASES = {
    "pkg/__init__.py": "",
    "pkg/base.py": """
        class Base:
            def hook(self, x):
                return x
        """,
    "pkg/right.py": """
        from pkg.base import Base


        class Right(Base):
            def hook(self, x):
                print("right", x)
                return x
        """,
    "pkg/model.py": """
        import tensorflow as tf

        from .left import Left
        from .right import Right


        class Both(Left, Right):
            @tf.function
            def run(self, x):
                return self.hook(x)
        """,
}


def test_diamond_mro_reaches_the_second_branch(tmp_path):
    """Both(Left, Right): Left does not define hook, so Right.hook runs, not Base.hook."""
    files = {
        **DIAMOND_BASES,
        "pkg/left.py": """
            from .base import Base


            class Left(Base):
                pass
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/model.py", 10, "HYB110")}
    assert chain[("pkg/model.py", 10, "HYB110")] == "Both.run → Right.hook → print"


def test_diamond_mro_first_branch_wins(tmp_path):
    """Left.hook comes before Right.hook in Both's MRO and does not call on."""
    files = {
        **DIAMOND_BASES,
        "pkg/left.py": """
            from .base import Base


            class Left(Base):
                def hook(self, x):
                    return x
            """,
    }
    assert lint(tmp_path, files) == set()


def test_diamond_cooperative_super(tmp_path):
    files = {
        **DIAMOND_BASES,
        "pkg/left.py": """
            from .base import Base


            class Left(Base):
                def hook(self, x):
                    return super().hook(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/model.py", 10, "HYB110")}
    assert chain[("pkg/model.py", 10, "HYB110")] == "Both.run → Left.hook → Right.hook → print"


SUPER_CHILD = """
    import tensorflow as tf

    from .base import Base


    class Child(Base):
        def hook(self, x):
            return super().hook(x) + 1

        @tf.function
        def run(self, x):
            return self.hook(x)
    """


def test_super_method_call(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            class Base:
                def hook(self, x):
                    print("base", x)
                    return x
            """,
        "pkg/child.py": SUPER_CHILD,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/child.py", 12, "HYB110")}
    assert chain[("pkg/child.py", 12, "HYB110")] == "Child.run → Child.hook → Base.hook → print"


def test_super_method_call_negative(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            class Root:
                def hook(self, x):
                    print("root", x)
                    return x


            class Base(Root):
                def hook(self, x):
                    return x
            """,
        "pkg/child.py": SUPER_CHILD,
    }
    assert lint(tmp_path, files) == set()


def test_self_call_reaches_override_in_subclass(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            import tensorflow as tf


            class Base:
                @tf.function
                def run(self, x):
                    return self.hook(x)

                def hook(self, x):
                    return x
            """,
        "pkg/sub.py": """
            from .base import Base


            class Sub(Base):
                def hook(self, x):
                    print("sub", x)
                    return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/base.py", 7, "HYB110")}
    assert chain[("pkg/base.py", 7, "HYB110")] == "Base.run → Sub.hook → print"


def _static_and_class_methods(effect: str) -> str:
    return f"""
        import tensorflow as tf


        class C:
            @staticmethod
            def s(x):
                {effect}
                return x

            @classmethod
            def c(cls, x):
                {effect}
                return x

            @classmethod
            def via_cls(cls, x):
                return cls.s(x)

            @tf.function
            def run(self, x):
                self.s(x)
                self.c(x)
                return x


        @tf.function
        def f(x):
            C.s(x)
            C.c(x)
            C.via_cls(x)
            return x
        """


def test_static_and_class_methods(tmp_path):
    found, chain = findings_and_chains(tmp_path, {"m.py": _static_and_class_methods('print("x", x)')})
    assert found == {("m.py", 21, "HYB110"), ("m.py", 22, "HYB110"), ("m.py", 28, "HYB110"),
                     ("m.py", 29, "HYB110"), ("m.py", 30, "HYB110")}
    assert chain[("m.py", 21, "HYB110")] == "C.run → C.s → print"
    assert chain[("m.py", 29, "HYB110")] == "f → C.c → print"
    assert chain[("m.py", 30, "HYB110")] == "f → C.via_cls → C.s → print"


def test_static_and_class_methods_negative(tmp_path):
    assert lint(tmp_path, {"m.py": _static_and_class_methods("x = x * 2")}) == set()


def _method_kinds_mutating_an_argument(argument: str) -> str:
    return f"""
        import tensorflow as tf

        history = []


        class C:
            @staticmethod
            def s(items, x):
                items.append(x)

            @classmethod
            def c(cls, items, x):
                items.append(x)

            @tf.function
            def run(self, x):
                scratch = []
                self.s({argument}, x)
                self.c({argument}, x)
                return x


        @tf.function
        def f(x):
            scratch = []
            C.s({argument}, x)
            C.c({argument}, x)
            return x
        """


def test_static_and_class_methods_bind_arguments_by_kind(tmp_path):
    found = lint(tmp_path, {"m.py": _method_kinds_mutating_an_argument("history")})
    assert found == {("m.py", 18, "HYB110"), ("m.py", 19, "HYB110"), ("m.py", 26, "HYB110"),
                     ("m.py", 27, "HYB110")}


def test_static_and_class_methods_on_local_arguments_negative(tmp_path):
    assert lint(tmp_path, {"m.py": _method_kinds_mutating_an_argument("scratch")}) == set()


CONSTRUCTED = """
    registry = []


    class Quiet:
        def __init__(self, x):
            self.x = x
            self.items = []
            self.items.append(x)
            self.setup()

        def setup(self):
            self.ready = True


    class Inherits(Quiet):
        pass


    class Cooperative(Quiet):
        def __init__(self, x):
            super().__init__(x)
            self.extra = x


    class Loud:
        def __init__(self, x):
            print("made", x)
            self.x = x


    class Registered:
        def __init__(self, x):
            registry.append(self)
            self.x = x


    class Adopted:
        def __init__(self, owner):
            owner.child = self
    """


def test_constructor_runs_init(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/things.py": CONSTRUCTED,
        "main.py": """
            import tensorflow as tf

            from pkg.things import Adopted, Loud, Registered


            class Holder:
                pass


            holder = Holder()


            @tf.function
            def step(x):
                Loud(x)
                Registered(x)
                Adopted(holder)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 15, "HYB110"), ("main.py", 16, "HYB110"), ("main.py", 17, "HYB110")}
    assert chain[("main.py", 15, "HYB110")] == "step → Loud.__init__ → print"
    assert chain[("main.py", 16, "HYB110")] == "step → Registered.__init__ → registry.append"
    assert chain[("main.py", 17, "HYB110")] == "step → Adopted.__init__ → owner.child"


def test_constructor_writing_self_is_not_a_side_effect(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/things.py": CONSTRUCTED,
        "main.py": """
            import tensorflow as tf

            from pkg.things import Adopted, Cooperative, Inherits, Quiet


            class Holder:
                pass


            @tf.function
            def step(x):
                q = Quiet(x)
                i = Inherits(x)
                c = Cooperative(x)
                Adopted(Holder())
                local = Holder()
                Adopted(local)
                return q.x + i.x + c.x
            """,
    }
    assert lint(tmp_path, files) == set()


CALLABLES = """
    class Scaler:
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, x):
            print("scale", x)
            return x * self.factor


    class QuietScaler:
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, x):
            return x * self.factor


    scale = Scaler(2)
    quiet_scale = QuietScaler(2)
    """


def test_callable_objects_run_dunder_call(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/things.py": CALLABLES,
        "main.py": """
            import tensorflow as tf

            from pkg import things
            from pkg.things import Scaler, scale

            module_scale = Scaler(3)


            class Model:
                def __init__(self):
                    self.scaler = Scaler(4)

                @tf.function
                def run(self, x):
                    return self.scaler(x)


            @tf.function
            def step(x):
                s = Scaler(5)
                s(x)
                scale(x)
                things.scale(x)
                module_scale(x)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 15, "HYB110"), ("main.py", 21, "HYB110"), ("main.py", 22, "HYB110"),
                     ("main.py", 23, "HYB110"), ("main.py", 24, "HYB110")}
    assert chain[("main.py", 15, "HYB110")] == "Model.run → Scaler.__call__ → print"
    assert chain[("main.py", 22, "HYB110")] == "step → Scaler.__call__ → print"


def test_callable_objects_negative(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/things.py": CALLABLES,
        "main.py": """
            import tensorflow as tf

            from pkg import things
            from pkg.things import QuietScaler, quiet_scale


            class Model:
                def __init__(self):
                    self.scaler = QuietScaler(4)

                @tf.function
                def run(self, x):
                    return self.scaler(x)


            @tf.function
            def step(x):
                s = QuietScaler(5)
                s(x)
                quiet_scale(x)
                things.quiet_scale(x)
                return x
            """,
    }
    assert lint(tmp_path, files) == set()


COUNTER = """
    class Counter:
        def __init__(self):
            self.calls = 0

        def __call__(self, x):
            self.calls += 1
            return x

        def bump(self, x):
            self.calls += 1
            return x
    """


def test_callable_object_mutating_itself(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/counter.py": COUNTER,
        "main.py": """
            import tensorflow as tf

            from pkg.counter import Counter

            counter = Counter()


            @tf.function
            def step(x):
                counter(x)
                counter.bump(x)
                return x
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 10, "HYB110"), ("main.py", 11, "HYB110")}
    assert chain[("main.py", 10, "HYB110")] == "step → Counter.__call__ → self.calls"


def test_callable_object_mutating_itself_when_local_negative(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/counter.py": COUNTER,
        "main.py": """
            import tensorflow as tf

            from pkg.counter import Counter


            @tf.function
            def step(x):
                local = Counter()
                local(x)
                local.bump(x)
                return x
            """,
    }
    assert lint(tmp_path, files) == set()


def test_callable_object_called_on_a_constructor_result(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/things.py": CALLABLES,
        "main.py": """
            import tensorflow as tf

            from pkg.things import Scaler


            @tf.function
            def step(x):
                return Scaler(3)(x)
            """,
    }
    assert lint(tmp_path, files) == {("main.py", 8, "HYB110")}


# -- Keras and tf.Module -------------------------------------------------------------

KERAS_LAYERS = """
    import logging

    import tensorflow as tf


    class Noisy(tf.keras.layers.Layer):
        def call(self, inputs):
            print("called")
            return inputs


    class Quiet(tf.keras.layers.Layer):
        def call(self, inputs):
            return inputs * 2
    """

KERAS_MODEL = """
    import tensorflow as tf

    from .layers import Noisy, Quiet


    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.quiet = Quiet()
            self.noisy = Noisy()

        def call(self, inputs):
            x = self.quiet(inputs)
            return self.noisy(x)


    class QuietNet(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.quiet = Quiet()

        def call(self, inputs):
            return self.quiet(inputs)
    """


def test_keras_layer_attribute_called_from_fitted_model(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/layers.py": KERAS_LAYERS,
        "pkg/model.py": KERAS_MODEL,
        "train.py": """
            import tensorflow as tf

            from pkg.model import Net

            net = Net()
            net.compile(loss="mse")
            net.fit(tf.ones((4, 2)), tf.ones((4, 2)))
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/model.py", 14, "HYB110")}
    assert chain[("pkg/model.py", 14, "HYB110")] == "Net.call → Noisy.call → print"


def test_keras_model_negative(tmp_path):
    """A quiet model that is fitted, and a noisy model that is never fitted (its call runs eagerly)."""
    files = {
        "pkg/__init__.py": "",
        "pkg/layers.py": KERAS_LAYERS,
        "pkg/model.py": KERAS_MODEL,
        "train.py": """
            import tensorflow as tf

            from pkg.model import Net, QuietNet


            def main(data):
                quiet = QuietNet()
                quiet.fit(data)
                noisy = Net()
                return noisy(data)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_keras_train_step_of_a_keras_model_subclass(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/model.py": """
            import keras


            def log(x):
                print("log", x)


            class Net(keras.Model):
                def train_step(self, data):
                    log(data)
                    return {}


            class Unfitted(keras.Model):
                def train_step(self, data):
                    log(data)
                    return {}
            """,
        "train.py": """
            from pkg.model import Net, Unfitted


            def main(data):
                net = Net()
                net.fit(data)
                Unfitted()
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/model.py", 10, "HYB110")}
    assert chain[("pkg/model.py", 10, "HYB110")] == "Net.train_step → log → print"


def test_keras_call_inherited_from_a_base_in_another_module(tmp_path):
    """The inherited `call` is a graph root itself: its own line is reported (HYB101), not a HYB110."""
    files = {
        "pkg/__init__.py": "",
        "pkg/base.py": """
            import tensorflow as tf


            class BaseNet(tf.keras.Model):
                def call(self, inputs):
                    print("call", inputs)
                    return inputs
            """,
        "pkg/net.py": """
            from pkg import base


            class Net(base.BaseNet):
                pass
            """,
        "train.py": """
            from pkg.net import Net


            def main(data):
                net = Net()
                net.fit(data)
            """,
    }
    assert lint(tmp_path, files) == {("pkg/base.py", 6, "HYB101")}


def test_keras_layers_nested_two_deep(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/layers.py": """
            from tensorflow import keras


            class Block(keras.layers.Layer):
                def __init__(self):
                    super().__init__()
                    self.inner = Inner()

                def call(self, x):
                    return self.inner(x)


            class Inner(keras.layers.Layer):
                def call(self, x):
                    self.last = x
                    return x
            """,
        "pkg/net.py": """
            import tensorflow as tf

            from pkg import layers


            class Top(tf.keras.Model):
                def __init__(self):
                    super().__init__()
                    self.block = layers.Block()

                def call(self, x):
                    return self.block(x)
            """,
        "train.py": """
            from pkg.net import Top


            def main(data):
                top = Top()
                top.fit(data)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/net.py", 12, "HYB110")}
    assert chain[("pkg/net.py", 12, "HYB110")] == "Top.call → Block.call → Inner.call → self.last"


def test_tf_module_with_a_tf_function_call_and_a_layer(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/layers.py": KERAS_LAYERS,
        "pkg/module.py": """
            import tensorflow as tf

            from .layers import Noisy, Quiet


            class Wrapper(tf.Module):
                def __init__(self):
                    super().__init__()
                    self.noisy = Noisy()

                @tf.function
                def __call__(self, x):
                    return self.noisy(x)


            class QuietWrapper(tf.Module):
                def __init__(self):
                    super().__init__()
                    self.quiet = Quiet()

                @tf.function
                def __call__(self, x):
                    return self.quiet(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/module.py", 13, "HYB110")}
    assert chain[("pkg/module.py", 13, "HYB110")] == "Wrapper.__call__ → Noisy.call → print"


FIT_BASE = {
    "pkg/__init__.py": "",
    "pkg/base.py": """
        import tensorflow as tf


        class BaseNet(tf.keras.Model):
            def call(self, inputs):
                print("call", inputs)
                return inputs
        """,
}


def test_fit_on_a_constructor_result(tmp_path):
    files = {
        **FIT_BASE,
        "train.py": """
            from pkg.base import BaseNet


            def main(data):
                BaseNet().fit(data)
            """,
    }
    assert lint(tmp_path, files) == {("pkg/base.py", 6, "HYB101")}


def test_fit_on_a_model_stored_in_an_attribute(tmp_path):
    files = {
        **FIT_BASE,
        "train.py": """
            from pkg.base import BaseNet


            class Trainer:
                def __init__(self):
                    self.model = BaseNet()

                def train(self, data):
                    self.model.fit(data)
            """,
    }
    assert lint(tmp_path, files) == {("pkg/base.py", 6, "HYB101")}


def test_fit_through_a_dotted_module_path(tmp_path):
    files = {
        **FIT_BASE,
        "train.py": """
            import pkg.base


            def train(data):
                model = pkg.base.BaseNet()
                model.fit(data)
            """,
    }
    assert lint(tmp_path, files) == {("pkg/base.py", 6, "HYB101")}


# -- custom decorators ----------------------------------------------------------------

DECORATORS = """
    import functools


    def traced(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            print("calling", fn.__name__)
            return fn(*args, **kwargs)
        return wrapper


    def quiet(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return fn(*args, **kwargs)
        return wrapper
    """


def test_custom_decorator_whose_wrapper_prints(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/deco.py": DECORATORS,
        "pkg/ops.py": """
            from . import deco
            from .deco import traced


            @traced
            def double(x):
                return x * 2


            @deco.traced
            def triple(x):
                return x * 3
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.ops import double, triple


            @tf.function
            def step(x):
                return double(x) + triple(x)
            """,
    }
    found = run(tmp_path, files)
    # Both calls are on one line: one finding each, at its own column, with the wrapper in the chain.
    assert [(f.path, f.row, f.column, f.code) for f in found] == [
        ("main.py", 8, 12, "HYB110"), ("main.py", 8, 24, "HYB110")]
    assert set(chains(found).values()) == {"step → traced.wrapper → print"}


def test_custom_decorator_negative(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/deco.py": DECORATORS,
        "pkg/ops.py": """
            from .deco import quiet


            @quiet
            def double(x):
                return x * 2
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.ops import double


            @tf.function
            def step(x):
                return double(x)
            """,
    }
    assert lint(tmp_path, files) == set()


def test_quiet_decorator_does_not_hide_the_decorated_functions_effect(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/deco.py": DECORATORS,
        "pkg/ops.py": """
            from .deco import quiet


            @quiet
            def loud(x):
                print("loud", x)
                return x
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.ops import loud


            @tf.function
            def step(x):
                return loud(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 8, "HYB110")}
    assert chain[("main.py", 8, "HYB110")] == "step → loud → print"


# -- functions passed as values -----------------------------------------------------

VALUES_HELPERS = {
    "pkg/__init__.py": "",
    "pkg/helpers.py": """
        def noisy(x, scale=1):
            print("noisy", x)
            return x * scale


        def pure(x, scale=1):
            return x * scale
        """,
}


def _passing(helper: str) -> dict[str, str]:
    return {
        **VALUES_HELPERS,
        "pkg/apply.py": f"""
            import functools

            from .helpers import noisy, pure


            def apply_map(xs):
                return list(map({helper}, xs))


            def apply_partial(x):
                return functools.partial({helper}, scale=2)(x)
            """,
        "main.py": f"""
            import functools

            import tensorflow as tf

            from pkg.apply import apply_map, apply_partial
            from pkg.helpers import noisy, pure


            @tf.function
            def through_helpers(x):
                apply_map([x])
                apply_partial(x)
                return x


            @tf.function
            def with_lambda(x):
                f = lambda v: {helper}(v)
                return f(x)
            """,
    }


def test_functions_passed_as_values_through_helpers(tmp_path):
    found, chain = findings_and_chains(tmp_path, _passing("noisy"))
    assert found == {("main.py", 11, "HYB110"), ("main.py", 12, "HYB110"), ("main.py", 18, "HYB110")}
    assert chain[("main.py", 11, "HYB110")] == "through_helpers → apply_map → noisy → print"
    assert chain[("main.py", 12, "HYB110")] == "through_helpers → apply_partial → noisy → print"
    assert chain[("main.py", 18, "HYB110")] == "with_lambda → noisy → print"


def test_functions_passed_as_values_negative(tmp_path):
    assert lint(tmp_path, _passing("pure")) == set()


def _passing_directly(helper: str) -> dict[str, str]:
    return {
        **VALUES_HELPERS,
        "main.py": f"""
            import functools

            import tensorflow as tf

            from pkg.helpers import noisy, pure


            @tf.function
            def with_map(xs):
                return list(map({helper}, xs))


            @tf.function
            def with_partial(x):
                f = functools.partial({helper}, scale=2)
                return f(x)
            """,
    }


def test_functions_passed_as_values_directly_in_graph_code(tmp_path):
    found, chain = findings_and_chains(tmp_path, _passing_directly("noisy"))
    assert found == {("main.py", 10, "HYB110"), ("main.py", 15, "HYB110")}
    assert chain[("main.py", 10, "HYB110")] == "with_map → noisy → print"


def test_functions_passed_as_values_directly_in_graph_code_negative(tmp_path):
    assert lint(tmp_path, _passing_directly("pure")) == set()


def test_a_call_passing_a_noisy_function_to_a_noisy_helper_is_one_finding(tmp_path):
    files = {
        **VALUES_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import noisy


            def apply(f, x):
                print("apply", x)
                return f(x)


            @tf.function
            def step(x):
                return apply(noisy, x)
            """,
    }
    found = run(tmp_path, files)
    assert [f.key for f in found] == [("main.py", 13, "HYB110")]
    assert chains(found)[("main.py", 13, "HYB110")] == "step → apply → print"


GRAPH_ENTRY_HELPERS = """
    def noisy(x):
        print("noisy", x)
        return x


    def by_map_fn(x):
        return noisy(x)


    def by_vectorized_map(x):
        return noisy(x)


    def by_dataset_map(x):
        return noisy(x)


    def pure(x):
        return x * 2


    def log_eagerly(x):
        print("value", x.numpy())
        return x
    """


def test_functions_traced_by_tensorflow_apis_without_tf_function(tmp_path):
    """Dataset.map makes its function graph code; tf.map_fn and tf.vectorized_map run theirs where they
    are called: as Python in eager code (checked with TF 2.21: a print in them runs on every call)."""
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg import helpers
            from pkg.helpers import by_map_fn, by_vectorized_map


            def run(x, xs):
                a = tf.map_fn(by_map_fn, x)
                b = tf.vectorized_map(by_vectorized_map, x)
                ds = tf.data.Dataset.from_tensor_slices(xs).batch(2)
                ds = ds.map(helpers.by_dataset_map)
                return a, b, ds
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("pkg/helpers.py", 15, "HYB110")}
    assert chain[("pkg/helpers.py", 15, "HYB110")] == "by_dataset_map → noisy → print"
    traced = {**files, "main.py": files["main.py"].replace("            def run(", "            @tf.function\n            def run(")}
    found, chain = findings_and_chains(tmp_path / "traced", traced)
    # graph code passes them: reported where the traced `run` hands them over
    assert found == {("main.py", 9, "HYB110"), ("main.py", 10, "HYB110"), ("pkg/helpers.py", 15, "HYB110")}
    assert chain[("main.py", 9, "HYB110")] == "run → by_map_fn → noisy → print"


def test_functions_traced_by_tensorflow_apis_negative(tmp_path):
    """Pure mapped functions; a noisy function mapped by something that is not a dataset."""
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            from concurrent.futures import ThreadPoolExecutor

            import tensorflow as tf

            from pkg.helpers import by_dataset_map, pure


            def run(x, xs):
                a = tf.map_fn(pure, x)
                b = tf.vectorized_map(pure, x)
                ds = tf.data.Dataset.from_tensor_slices(xs).map(pure)
                with ThreadPoolExecutor() as pool:
                    c = list(pool.map(by_dataset_map, xs))
                return a, b, ds, c
            """,
    }
    assert lint(tmp_path, files) == set()


def test_a_function_tf_map_fn_runs_prints_per_element_eagerly_and_once_per_trace_in_graph_code(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import noisy


            def run(x):
                return tf.map_fn(noisy, x)
            """,
    }
    assert lint(tmp_path, files) == set()  # eager `run`: tf.map_fn calls `noisy` as Python, per element
    files["main.py"] = files["main.py"].replace("            def run(", "            @tf.function\n            def run(")
    assert lint(tmp_path / "traced", files) == {("main.py", 8, "HYB110")}  # where graph code passes it


def test_lambda_passed_to_dataset_map(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import by_dataset_map


            def make(xs):
                ds = tf.data.Dataset.from_tensor_slices(xs)
                return ds.map(lambda v: by_dataset_map(v))
            """,
    }
    assert lint(tmp_path, files) == {("pkg/helpers.py", 15, "HYB110")}


def test_lambda_passed_to_dataset_map_negative(tmp_path):
    """The lambda calls a pure function and its own parameter, not the module's function of that name."""
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import by_dataset_map, pure


            def make(xs):
                ds = tf.data.Dataset.from_tensor_slices(xs)
                ds = ds.map(lambda v: pure(v))
                return tf.map_fn(lambda by_dataset_map: by_dataset_map(2), xs), ds
            """,
    }
    assert lint(tmp_path, files) == set()


def test_py_function_runs_its_function_eagerly(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": GRAPH_ENTRY_HELPERS,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import log_eagerly


            @tf.function
            def step(x):
                tf.py_function(log_eagerly, [x], tf.float32)
                tf.py_function(func=log_eagerly, inp=[x], Tout=tf.float32)
                return x
            """,
    }
    assert lint(tmp_path, files) == set()


# -- nested functions and closures --------------------------------------------------


def test_nested_functions_and_closures(tmp_path):
    files = {
        "main.py": """
            import tensorflow as tf

            history = []


            @tf.function
            def local_list(x):
                seen = []

                def remember(v):
                    seen.append(v)

                remember(x)
                return x


            @tf.function
            def module_list(x):
                def remember(v):
                    history.append(v)

                remember(x)
                return x


            def eager_outer():
                seen = []

                @tf.function
                def step(x):
                    def remember(v):
                        seen.append(v)

                    remember(x)
                    return x

                return step
            """,
    }
    assert lint(tmp_path, files) == {("main.py", 20, "HYB105"), ("main.py", 32, "HYB105")}


def _factory(effect: str) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/factory.py": f"""
            registry = []


            def make_recorder():
                def record(v):
                    {effect}
                    return v

                return record
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.factory import make_recorder

            record = make_recorder()


            @tf.function
            def step(x):
                return record(x)


            @tf.function
            def step2(x):
                r = make_recorder()
                return r(x)
            """,
    }


def test_closure_returned_by_a_factory_mutating_module_state(tmp_path):
    found, chain = findings_and_chains(tmp_path, _factory("registry.append(v)"))
    assert found == {("main.py", 10, "HYB110"), ("main.py", 16, "HYB110")}
    assert chain[("main.py", 10, "HYB110")] == "step → make_recorder.record → registry.append"


def test_closure_returned_by_a_factory_negative(tmp_path):
    assert lint(tmp_path, _factory("v = v * 2")) == set()


# -- tf.function spellings ----------------------------------------------------------


def _spellings(helper: str) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/helpers.py": NOISY + PURE,
        "decorated.py": f"""
            import tensorflow as tf

            from pkg.helpers import {helper} as helper


            @tf.function
            def plain(x):
                return helper(x)


            @tf.function(reduce_retracing=True)
            def called(x):
                return helper(x)


            def never_traced(x):
                return helper(x)
            """,
        "wrapped.py": f"""
            import tensorflow as tf

            from pkg.helpers import {helper} as helper


            def _step(x):
                return helper(x)


            step = tf.function(_step)
            """,
        "trainer.py": f"""
            import tensorflow as tf

            from pkg.helpers import {helper} as helper


            class Trainer:
                def __init__(self):
                    self.step = tf.function(self._step)

                def _step(self, x):
                    return helper(x)

                def _eager(self, x):
                    return helper(x)
            """,
        "imported.py": f"""
            from tensorflow import function

            from pkg.helpers import {helper} as helper


            @function
            def step(x):
                return helper(x)
            """,
    }


def test_tf_function_spellings(tmp_path):
    found, chain = findings_and_chains(tmp_path, _spellings("noisy"))
    assert found == {("decorated.py", 8, "HYB110"), ("decorated.py", 13, "HYB110"), ("wrapped.py", 7, "HYB110"),
                     ("trainer.py", 11, "HYB110"), ("imported.py", 8, "HYB110")}
    assert chain[("wrapped.py", 7, "HYB110")] == "_step → noisy → print"
    assert chain[("trainer.py", 11, "HYB110")] == "Trainer._step → noisy → print"


def test_tf_function_spellings_negative(tmp_path):
    assert lint(tmp_path, _spellings("pure")) == set()


# -- recursion ---------------------------------------------------------------------


def _mutual_recursion(effect: str) -> dict[str, str]:
    return {
        "pkg/__init__.py": "",
        "pkg/even.py": """
            from . import odd


            def is_even(n):
                if n == 0:
                    return True
                return odd.is_odd(n - 1)
            """,
        "pkg/odd.py": f"""
            from .even import is_even


            def is_odd(n):
                if n == 0:
                    {effect}
                    return False
                return is_even(n - 1)


            def countdown(n):
                return n if n <= 0 else countdown(n - 1)
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.even import is_even
            from pkg.odd import countdown


            @tf.function
            def step(x):
                is_even(3)
                countdown(3)
                return x
            """,
    }


def test_mutual_recursion_terminates_and_reports(tmp_path):
    found, chain = findings_and_chains(tmp_path, _mutual_recursion('print("zero")'))
    assert found == {("main.py", 9, "HYB110")}
    assert chain[("main.py", 9, "HYB110")] == "step → is_even → is_odd → print"


def test_mutual_recursion_negative(tmp_path):
    assert lint(tmp_path, _mutual_recursion("n = -1")) == set()


# -- where findings go ---------------------------------------------------------------


def test_callee_lines_are_not_reported_again(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": """
            import logging
            import random

            counter = 0
            seen = []


            def busy(x):
                global counter
                print("busy", x)
                logging.info("busy")
                counter += 1
                seen.append(x)
                return x * random.random()
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import busy


            @tf.function
            def step(x):
                return busy(x)
            """,
    }
    found, chain = findings_and_chains(tmp_path, files)
    assert found == {("main.py", 8, "HYB110")}
    assert chain[("main.py", 8, "HYB110")] == "step → busy → print"


def test_a_decorated_callee_reports_its_own_lines_not_the_call(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/inner.py": """
            import tensorflow as tf


            @tf.function
            def inner(x):
                print("inner", x)
                return x
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.inner import inner


            @tf.function
            def outer(x):
                return inner(x)
            """,
    }
    assert lint(tmp_path, files) == {("pkg/inner.py", 6, "HYB101")}


def test_graph_errors_are_not_side_effects(tmp_path):
    """.numpy() in a callee is HYB501 where it is; tf.Variable in a callee is nothing; never HYB1xx."""
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": """
            import tensorflow as tf


            def peak(x):
                return x.numpy().max()


            def make_variable(x):
                return tf.Variable(x)


            def sizes(x):
                return int(tf.size(x)) + float(tf.reduce_sum(x)) + len(x)
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import make_variable, peak, sizes


            @tf.function
            def step(x):
                a = peak(x)
                v = make_variable(x)
                s = sizes(x)
                w = tf.Variable(1.0)
                n = int(x) + float(x) + len(x)
                y = x.numpy()
                return a
            """,
    }
    assert lint(tmp_path, files) == {("pkg/helpers.py", 5, "HYB501"), ("main.py", 11, "HYB502"),
                                     ("main.py", 13, "HYB501")}


def test_int_float_len_on_tensors_are_not_flagged(tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/helpers.py": """
            import tensorflow as tf


            def sizes(x):
                return int(tf.size(x)) + float(tf.reduce_sum(x)) + len(x)
            """,
        "main.py": """
            import tensorflow as tf

            from pkg.helpers import sizes


            @tf.function
            def step(x):
                return sizes(x) + int(x) + float(x) + len(x)
            """,
    }
    assert lint(tmp_path, files) == set()
