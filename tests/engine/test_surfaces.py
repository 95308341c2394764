import dataclasses

import numpy as np
import pytest

from gdtui.engine.calculus import numerical_gradient, numerical_hessian
from gdtui.engine.descent import descend
from gdtui.engine.surfaces import SIN_BOWL_MINIMUM, SURFACES, Surface, quadratic_bowl

ALL = list(SURFACES.values()) + [quadratic_bowl(25.0)]
IDS = [s.name for s in ALL]


def random_points(surface, count=20, seed=0):
    lo, hi = np.array(surface.domain).T
    return np.random.default_rng(seed).uniform(lo, hi, size=(count, surface.dim))


def critical_points(surface):
    return ([("min", p) for p in surface.minima] + [("max", p) for p in surface.maxima]
            + [("saddle", p) for p in surface.saddles])


def test_the_catalogue():
    expected = {"bowl", "elongated_bowl", "rosenbrock", "beale", "himmelblau", "booth", "matyas",
                "six_hump_camel", "rastrigin", "saddle", "two_wells", "sin_bowl"}
    assert set(SURFACES) == expected
    for name, surface in SURFACES.items():
        assert surface.name == name and surface.title and surface.notes
        assert len(surface.domain) == surface.dim
        assert all(lo < hi for lo, hi in surface.domain)
        for _, point in critical_points(surface):
            assert len(point) == surface.dim
            assert all(lo <= c <= hi for c, (lo, hi) in zip(point, surface.domain))


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_exact_gradient_matches_central_differences(surface):
    points = random_points(surface)
    exact = surface.grad(points)
    assert exact.shape == points.shape
    numeric = np.array([numerical_gradient(lambda p: float(surface.f(p)), p, h=1e-5) for p in points])
    scale = 1 + np.abs(exact)
    assert np.max(np.abs(exact - numeric) / scale) < 1e-5


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_exact_hessian_matches_numerical_hessian(surface):
    for point in random_points(surface, count=5, seed=1):
        exact = surface.hessian(point)
        numeric = numerical_hessian(lambda p: float(surface.f(p)), point, h=1e-4)
        assert exact.shape == (surface.dim, surface.dim)
        np.testing.assert_allclose(exact, numeric, rtol=1e-4, atol=1e-4 * (1 + np.abs(exact).max()))


@pytest.mark.parametrize("surface", ALL, ids=IDS)
def test_known_critical_points_have_zero_gradient_and_the_right_curvature(surface):
    for kind, point in critical_points(surface):
        assert np.max(np.abs(surface.grad(np.array(point)))) < 1e-6, (kind, point)
        eigenvalues = np.linalg.eigvalsh(surface.hessian(np.array(point)))
        if kind == "min":
            assert eigenvalues.min() > 0
        elif kind == "max":
            assert eigenvalues.max() < 0
        else:
            assert eigenvalues.min() < 0 < eigenvalues.max()


@pytest.mark.parametrize("surface", [s for s in ALL if s.minima], ids=[s.name for s in ALL if s.minima])
def test_minima_are_listed_lowest_first(surface):
    values = [float(surface.f(np.array(p))) for p in surface.minima]
    assert values == sorted(values) or np.allclose(values, values[0])


@pytest.mark.parametrize("surface", [s for s in ALL if s.minima], ids=[s.name for s in ALL if s.minima])
def test_descent_started_near_each_minimum_settles_there(surface):
    for minimum in surface.minima:
        target = np.array(minimum)
        curvature = np.linalg.eigvalsh(surface.hessian(target)).max()
        path = descend(surface.grad, target + 1e-3, optimizer="momentum", lr=1 / curvature,
                       steps=20000, tol=1e-9, objective=surface.f)
        assert path.status == "converged", (minimum, path.final)
        np.testing.assert_allclose(path.final, target, atol=1e-6)


def test_himmelblau_has_four_zero_minima_and_a_local_maximum():
    himmelblau = SURFACES["himmelblau"]
    assert len(himmelblau.minima) == 4
    np.testing.assert_allclose(himmelblau.f(np.array(himmelblau.minima)), 0, atol=1e-16)
    np.testing.assert_allclose(himmelblau.maxima[0], (-0.270845, -0.923039), atol=1e-6)
    assert float(himmelblau.f(np.array(himmelblau.maxima[0]))) == pytest.approx(181.616522, abs=1e-6)


def test_six_hump_camel_global_minima():
    camel = SURFACES["six_hump_camel"]
    np.testing.assert_allclose(camel.minima[:2], [(0.0898, -0.7126), (-0.0898, 0.7126)], atol=1e-4)
    values = camel.f(np.array(camel.minima))
    assert values[0] == pytest.approx(-1.0316284535, abs=1e-9) and values[1] == pytest.approx(values[0])
    assert np.all(values[2:] > values[0] + 0.5)
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 301), np.linspace(-2, 2, 201)), axis=-1)
    assert camel.f(grid).min() >= values[0] - 1e-12


def test_two_wells_has_two_distinct_minima_from_the_roots_of_its_derivative():
    wells = SURFACES["two_wells"]
    roots = np.sort(np.roots([4, 0, -6, 1]).real)  # f′ = 4x³ − 6x + 1
    found = sorted(p[0] for p in wells.minima)
    np.testing.assert_allclose(found, [roots[0], roots[2]], rtol=1e-12)
    assert wells.maxima[0][0] == pytest.approx(roots[1], rel=1e-12)
    assert found[0] < wells.maxima[0][0] < found[1]
    assert wells.f(np.array(wells.minima[0])) < wells.f(np.array(wells.minima[1]))
    left = descend(wells.grad, -0.5, lr=0.05, steps=2000, tol=1e-10)
    right = descend(wells.grad, 0.5, lr=0.05, steps=2000, tol=1e-10)
    assert left.final[0] == pytest.approx(found[0], abs=1e-9)
    assert right.final[0] == pytest.approx(found[1], abs=1e-9)


def test_sin_bowl_has_exactly_one_minimum():
    bowl = SURFACES["sin_bowl"]
    assert bowl.minima == ((SIN_BOWL_MINIMUM,),) and not bowl.maxima and not bowl.saddles
    assert SIN_BOWL_MINIMUM == pytest.approx(-0.739085, abs=1e-6)
    x = np.linspace(-50, 50, 200001).reshape(-1, 1)
    slope = bowl.grad(x)[:, 0]
    assert np.count_nonzero(np.diff(np.sign(slope))) == 1  # f′ changes sign once
    assert np.all(bowl.hessian(x)[:, 0, 0] >= 0)  # f″ = 1 − sin x ≥ 0: convex
    assert "seed 003" in bowl.notes.lower()
    for start in (-5.0, 0.0, 5.0):  # the seed's three starts all end at the same point
        assert descend(bowl.grad, start, lr=0.1, steps=500).final[0] == pytest.approx(SIN_BOWL_MINIMUM)


def test_saddle_has_no_minimum():
    saddle = SURFACES["saddle"]
    assert saddle.minima == () and saddle.saddles == ((0.0, 0.0),)
    escaping = descend(saddle.grad, [1.0, 1e-6], lr=0.1, steps=100)
    assert abs(escaping.final[1]) > 1


@pytest.mark.parametrize("kappa", [1.0, 10.0, 250.0])
def test_quadratic_bowl_has_the_condition_number_it_is_named_for(kappa):
    bowl = quadratic_bowl(kappa)
    eigenvalues = np.linalg.eigvalsh(bowl.hessian(np.array([0.3, -0.2])))
    assert eigenvalues.max() / eigenvalues.min() == pytest.approx(kappa)


def test_elongated_bowl_has_condition_number_10():
    eigenvalues = np.linalg.eigvalsh(SURFACES["elongated_bowl"].hessian(np.zeros(2)))
    assert eigenvalues.max() / eigenvalues.min() == pytest.approx(10)


def test_quadratic_bowl_refuses_a_nonpositive_kappa():
    with pytest.raises(ValueError):
        quadratic_bowl(0)


def test_evaluation_shapes():
    rosenbrock = SURFACES["rosenbrock"]
    assert rosenbrock.f(np.array([1.0, 1.0])).shape == ()
    assert rosenbrock.f(np.zeros((4, 5, 2))).shape == (4, 5)
    assert rosenbrock.grad(np.zeros((4, 5, 2))).shape == (4, 5, 2)
    assert rosenbrock.hessian(np.zeros((3, 2))).shape == (3, 2, 2)
    booth = SURFACES["booth"]  # its Hessian is constant: still one per point
    np.testing.assert_array_equal(booth.hessian(np.zeros((3, 2))), [[[10, 8], [8, 10]]] * 3)
    wells = SURFACES["two_wells"]
    assert wells.f(0.0).shape == () and wells.grad(np.zeros((7, 1))).shape == (7, 1)
    with pytest.raises(ValueError, match="2 coordinate"):
        rosenbrock.f(np.zeros(3))


def test_parsed_once_and_frozen():
    surface = SURFACES["beale"]
    assert surface.expr is surface.expr
    assert surface.expr.variables == ("x", "y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        surface.text = "x"
    assert isinstance(surface, Surface)
