"""Blueprints: groups of routes and hooks registered on an app later, possibly nested,
possibly several times under different names."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .scaffold import F, Scaffold, ensure_sync, exception_class_and_code

if TYPE_CHECKING:
    from .app import App

DeferredSetup = Callable[["BlueprintSetupState"], None]
# "Named after the blueprint", told apart from None ("no group").
_DEFAULT_GROUP = "\x00blueprint-name"


class BlueprintSetupState:
    """Where a blueprint is being registered: the app, the URL prefix, the full name."""

    def __init__(
        self, blueprint: Blueprint, app: App, options: dict[str, Any], first_registration: bool
    ) -> None:
        self.app = app
        self.blueprint = blueprint
        self.options = options
        self.first_registration = first_registration
        url_prefix = options.get("url_prefix")
        if url_prefix is None:
            url_prefix = blueprint.url_prefix
        self.url_prefix: str | None = url_prefix
        self.name = str(options.get("name", blueprint.name))
        self.name_prefix = str(options.get("name_prefix", ""))
        self.url_defaults = dict(blueprint.url_values_defaults)
        self.url_defaults.update(options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        **options: Any,
    ) -> None:
        """Register a rule on the app with the prefix, the defaults and a dotted endpoint."""
        if self.url_prefix is not None:
            if rule:
                rule = "/".join((self.url_prefix.rstrip("/"), rule.lstrip("/")))
            else:
                rule = self.url_prefix
        if endpoint is None:
            if view_func is None:
                raise TypeError(f"blueprint rule {rule!r} needs an endpoint or a view function")
            endpoint = view_func.__name__
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = dict(defaults, **options.pop("defaults"))
        self.app.add_url_rule(
            rule,
            f"{self.name_prefix}.{self.name}.{endpoint}".lstrip("."),
            view_func,
            defaults=defaults or None,
            **options,
        )


class Blueprint(Scaffold):
    """A set of views and hooks to register on an app: ``app.register_blueprint(bp,
    url_prefix="/admin")``."""

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _DEFAULT_GROUP,
    ) -> None:
        super().__init__(
            import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if not name:
            raise ValueError("'name' may not be empty.")
        if "." in name:
            raise ValueError(f"'name' may not contain a dot '.' character: {name!r}")
        if subdomain is not None:
            raise NotImplementedError("subdomain routing is not supported by globals_fw")
        self.name = name
        self.url_prefix = url_prefix
        self.url_values_defaults = url_defaults or {}
        self.deferred_functions: list[DeferredSetup] = []
        self._blueprints: list[tuple[Blueprint, dict[str, Any]]] = []
        self._got_registered_once = False
        from .cli import AppGroup

        #: Commands for ``python -m globals_fw``: under a group named after the blueprint
        #: (or ``cli_group``), or at the top level with ``cli_group=None``.
        self.cli = AppGroup(name)
        self.cli_group = cli_group

    # -- deferred setup -----------------------------------------------------------------

    def record(self, func: DeferredSetup) -> None:
        """Call ``func(state)`` on every registration of this blueprint."""
        self.deferred_functions.append(func)

    def record_once(self, func: DeferredSetup) -> None:
        """Call ``func(state)`` on the first registration only."""

        def wrapper(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(wrapper)

    def make_setup_state(
        self, app: App, options: dict[str, Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        return BlueprintSetupState(self, app, options, first_registration)

    def register_blueprint(self, blueprint: Blueprint, **options: Any) -> None:
        """Nest ``blueprint`` in this one (its endpoints become ``parent.child.view``)."""
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """Record a rule, registered on the app with the blueprint's prefix and name."""
        if endpoint and "." in endpoint:
            raise ValueError(f"'endpoint' may not contain a dot '.' character: {endpoint!r}")
        if view_func is not None and "." in getattr(view_func, "__name__", ""):
            raise ValueError("'view_func' name may not contain a dot '.' character.")
        if provide_automatic_options is not None:
            options["provide_automatic_options"] = provide_automatic_options
        self.record(lambda s: s.add_url_rule(rule, endpoint, view_func, **options))

    def endpoint(self, endpoint: str) -> Callable[[F], F]:
        def decorator(f: F) -> F:
            self.record_once(
                lambda s: s.app.view_functions.__setitem__(
                    f"{s.name_prefix}.{s.name}.{endpoint}".lstrip("."), f
                )
            )
            return f

        return decorator

    # -- registration -------------------------------------------------------------------

    def register(self, app: App, options: dict[str, Any]) -> None:
        """Register on ``app`` (called by ``app.register_blueprint``)."""
        name_prefix = str(options.get("name_prefix", ""))
        self_name = str(options.get("name", self.name))
        if "." in self_name:
            raise ValueError(f"blueprint name= may not contain a dot: {self_name!r}")
        name = f"{name_prefix}.{self_name}".lstrip(".")
        if name in app.blueprints:
            bp_desc = "this" if app.blueprints[name] is self else "a different"
            existing_at = f" '{name}'" if self_name != name else ""
            raise ValueError(
                f"The name '{self_name}' is already registered for {bp_desc} blueprint"
                f"{existing_at}. Use 'name=' to provide a unique name."
            )
        first_bp_registration = not any(bp is self for bp in app.blueprints.values())
        first_name_registration = name not in app.blueprints
        app.blueprints[name] = self
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_bp_registration)
        if self.has_static_folder:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                view_func=self.send_static_file,
                endpoint="static",
            )
        if first_bp_registration or first_name_registration:
            self._merge_blueprint_funcs(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_commands(app, options, self_name)
        self._register_nested(app, state, name)

    def _register_commands(self, app: App, options: dict[str, Any], name: str) -> None:
        if not self.cli.commands:
            return
        group = options.get("cli_group", self.cli_group)
        if group is None:
            for command in self.cli.commands.values():
                app.cli.add_command(command)
            return
        self.cli.name = name if group is _DEFAULT_GROUP else group
        app.cli.add_command(self.cli)

    def _register_nested(self, app: App, state: BlueprintSetupState, name: str) -> None:
        for blueprint, bp_options in self._blueprints:
            bp_options = bp_options.copy()
            bp_url_prefix = bp_options.get("url_prefix")
            if bp_url_prefix is None:
                bp_url_prefix = blueprint.url_prefix
            if state.url_prefix is not None and bp_url_prefix is not None:
                bp_options["url_prefix"] = (
                    state.url_prefix.rstrip("/") + "/" + bp_url_prefix.lstrip("/")
                )
            elif bp_url_prefix is not None:
                bp_options["url_prefix"] = bp_url_prefix
            elif state.url_prefix is not None:
                bp_options["url_prefix"] = state.url_prefix
            bp_options["name_prefix"] = name
            blueprint.register(app, bp_options)

    def _merge_blueprint_funcs(self, app: App, name: str) -> None:
        def extend(bp_dict: dict[Any, list[Any]], parent_dict: dict[Any, list[Any]]) -> None:
            for key, values in bp_dict.items():
                key = name if key is None else f"{name}.{key}"
                parent_dict[key].extend(values)

        for key, value in self.error_handler_spec.items():
            key = name if key is None else f"{name}.{key}"
            for code, handlers in value.items():
                app.error_handler_spec[key][code].update(handlers)
        for endpoint, func in self.view_functions.items():
            app.view_functions[f"{name}.{endpoint}"] = func
        extend(self.before_request_funcs, app.before_request_funcs)
        extend(self.after_request_funcs, app.after_request_funcs)
        extend(self.teardown_request_funcs, app.teardown_request_funcs)
        extend(self.url_default_functions, app.url_default_functions)
        extend(self.url_value_preprocessors, app.url_value_preprocessors)
        extend(self.template_context_processors, app.template_context_processors)

    # -- app-wide registrations from a blueprint ----------------------------------------

    def before_app_request(self, f: F) -> F:
        """A ``before_request`` hook for every request of the app."""
        self.record_once(lambda s: s.app.before_request_funcs[None].append(ensure_sync(f)))
        return f

    def after_app_request(self, f: F) -> F:
        """An ``after_request`` hook for every request of the app."""
        self.record_once(lambda s: s.app.after_request_funcs[None].append(ensure_sync(f)))
        return f

    def teardown_app_request(self, f: F) -> F:
        """A ``teardown_request`` hook for every request of the app."""
        self.record_once(lambda s: s.app.teardown_request_funcs[None].append(ensure_sync(f)))
        return f

    def app_context_processor(self, f: F) -> F:
        """A context processor for every template of the app."""
        self.record_once(lambda s: s.app.template_context_processors[None].append(f))
        return f

    def app_url_value_preprocessor(self, f: F) -> F:
        self.record_once(lambda s: s.app.url_value_preprocessors[None].append(f))
        return f

    def app_url_defaults(self, f: F) -> F:
        self.record_once(lambda s: s.app.url_default_functions[None].append(f))
        return f

    def app_errorhandler(self, code: type[BaseException] | int) -> Callable[[F], F]:
        """An error handler for the whole app."""

        def decorator(f: F) -> F:
            exc_class, exc_code = exception_class_and_code(code)

            def setup(s: BlueprintSetupState) -> None:
                s.app.error_handler_spec[None][exc_code][exc_class] = ensure_sync(f)

            self.record_once(setup)
            return f

        return decorator

    def app_template_filter(self, name: str | None = None) -> Callable[[F], F]:
        """A Jinja filter for the whole app."""

        def decorator(f: F) -> F:
            self.add_app_template_filter(f, name)
            return f

        return decorator

    def add_app_template_filter(self, f: Callable[..., Any], name: str | None = None) -> None:
        self.record_once(lambda s: s.app.add_template_filter(f, name))

    def app_template_test(self, name: str | None = None) -> Callable[[F], F]:
        """A Jinja test for the whole app."""

        def decorator(f: F) -> F:
            self.add_app_template_test(f, name)
            return f

        return decorator

    def add_app_template_test(self, f: Callable[..., bool], name: str | None = None) -> None:
        self.record_once(lambda s: s.app.add_template_test(f, name))

    def app_template_global(self, name: str | None = None) -> Callable[[F], F]:
        """A Jinja global for the whole app."""

        def decorator(f: F) -> F:
            self.add_app_template_global(f, name)
            return f

        return decorator

    def add_app_template_global(self, f: Callable[..., Any], name: str | None = None) -> None:
        self.record_once(lambda s: s.app.add_template_global(f, name))
