import model


def test_fit():
    assert len(model.fit(model.make_batches(3))) == 3


def test_pipeline():
    model.fit(model.make_batches(2))
    assert len(model.score_all(model.make_batches(3))) == 3


def test_unrelated():
    assert model.make_scorer("tf") is not None
